'use client';

import { type ReactNode, useActionState, useState } from 'react';
import { environmentBackendAction } from '@/app/(app)/admin/environments/backend-actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { CheckboxField, SelectField, TextAreaField, TextField } from '@/components/ui/form-fields';
import { submitWithoutReset } from '@/components/ui/submit-without-reset';
import type { FieldErrors } from '@/lib/errors';
import type { EnvironmentBackendView } from '@/lib/validation/deployments';

/**
 * Where one environment runs its releases. Without a backend, "live" is a registry alias and
 * the form says so. The stored token is never sent to the browser: the field stays empty and
 * a new value replaces it.
 */
export interface BackendTypeOption {
  type: string;
  label: string;
  description: string;
  secretLabel: string | null;
  secretRequired: boolean;
}

/** What the stored secret is, in the summary line. */
const SECRET_NOUN: Record<string, string> = { kserve: 'kubeconfig', webhook: 'signing secret' };

/**
 * An input whose value lives in the backend's stored config: `path` is where (dots for nested
 * objects, e.g. "resources.cpu"; the name when absent), and its errors come back as
 * `<prefix>.<path>`.
 */
interface ConfigField {
  name: string;
  id: string;
  label: string;
  path?: string;
  fallback?: string;
  hint?: ReactNode;
  placeholder?: string;
  required?: boolean;
  type?: 'url' | 'number';
  min?: number;
  max?: number;
  className?: string;
}

const KSERVE_FIELDS: ConfigField[] = [
  { name: 'namespace', id: 'namespace', label: 'Namespace', required: true, placeholder: 'models', hint: 'One InferenceService per model is created here.' },
  { name: 'ingressBaseUrl', id: 'ingress', label: 'Ingress base URL (optional)', type: 'url', placeholder: 'https://models.example.com', hint: 'Where clients reach the models; without it, the cluster-local address.' },
  { name: 'serviceAccountName', id: 'service-account', label: 'Service account (optional)', placeholder: 'model-puller', hint: 'Holds the credentials KServe uses to download artifacts from S3.' },
  { name: 'cpu', id: 'cpu', path: 'resources.cpu', label: 'CPU (optional)', placeholder: '500m', className: 'narrow' },
  { name: 'memory', id: 'memory', path: 'resources.memory', label: 'Memory (optional)', placeholder: '1Gi', className: 'narrow' },
  { name: 'gpu', id: 'gpu', path: 'resources.gpu', label: 'GPUs (optional)', type: 'number', min: 0, max: 16, className: 'narrow' },
  { name: 'timeoutSeconds', id: 'timeout', label: 'Seconds to wait for Ready', type: 'number', min: 5, max: 3600, fallback: '300', className: 'narrow' },
];

const WEBHOOK_FIELDS: ConfigField[] = [
  {
    name: 'callbackBaseUrl',
    id: 'callback-base',
    label: 'ModelDeck URL for callbacks (optional)',
    type: 'url',
    placeholder: 'https://modeldeck.example.com',
    hint: 'The receiver reports to …/api/v1/releases/{id}/callback here; NEXTAUTH_URL when empty.',
  },
  {
    name: 'callbackTimeoutSeconds',
    id: 'callback-timeout',
    label: 'Seconds to wait for the outcome',
    type: 'number',
    min: 5,
    max: 604800,
    fallback: '1800',
    className: 'narrow',
    hint: 'No succeeded or failed callback by then: the release fails.',
  },
];

/** The NATS binding; the subjects it names depend on the environment. */
const streamingFields = (environment: string): ConfigField[] => [
  { name: 'natsUrl', id: 'nats-url', label: 'NATS URL', placeholder: 'nats://127.0.0.1:4222', hint: 'Empty: NATS_URL, else nats://127.0.0.1:4222.' },
  { name: 'stream', id: 'stream', label: 'Stream', fallback: 'MODELDECK', className: 'narrow' },
  {
    name: 'subjectPrefix',
    id: 'subject-prefix',
    label: 'Subject prefix',
    fallback: 'modeldeck',
    hint: (
      <>
        Requests on <code>&lt;prefix&gt;.{environment}.&lt;model&gt;.requests</code>; answers on <code>….predictions</code>, unscorable requests on{' '}
        <code>….dead-letter</code>. Applied to each model at its next rollout.
      </>
    ),
  },
];

/** The canary analysis settings, each a number with its default. */
const CANARY_FIELDS = [
  { name: 'intervalSeconds', id: 'interval', label: 'Seconds between steps', min: 5, step: undefined, fallback: 60 },
  { name: 'maxErrorRateIncrease', id: 'error-rate', label: 'Max error rate above primary (points)', min: 0, step: '0.1', fallback: 1 },
  { name: 'maxLatencyRatio', id: 'latency', label: 'Max p95 latency (× primary)', min: 1, step: '0.1', fallback: 1.5 },
  { name: 'minRequests', id: 'min-requests', label: 'Min canary requests per step', min: 1, step: undefined, fallback: 20 },
] as const;

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

const at = (values: Record<string, unknown>, path: string) =>
  path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), values);

function ConfigFields({
  fields,
  values,
  errorPrefix,
  id,
  errors,
}: {
  fields: ConfigField[];
  values: Record<string, unknown>;
  errorPrefix: string;
  id: (field: string) => string;
  errors: FieldErrors | undefined;
}) {
  return fields.map(({ id: suffix, path, fallback, ...f }) => (
    <TextField key={f.name} id={id(suffix)} defaultValue={text(at(values, path ?? f.name)) || fallback} errors={errors} errorKey={`${errorPrefix}.${path ?? f.name}`} {...f} />
  ));
}

/** An on/off setting the action reads as `<name>=true`. */
function Toggle({ id, name, checked, onChange, label }: { id: string; name: string; checked: boolean; onChange: (checked: boolean) => void; label: string }) {
  return <CheckboxField id={id} className="inline-check small" name={name} value="true" checked={checked} onChange={(e) => onChange(e.target.checked)} label={label} />;
}

export function EnvironmentBackendForm({ environment, backend, types }: { environment: string; backend: EnvironmentBackendView | null; types: BackendTypeOption[] }) {
  const [state, action, pending] = useActionState(environmentBackendAction, { status: 'idle' });
  const [type, setType] = useState(backend?.type ?? 'local');
  const [url, setUrl] = useState(typeof backend?.config.url === 'string' ? backend.config.url : '');
  const [publicUrl, setPublicUrl] = useState(typeof backend?.config.publicUrl === 'string' ? backend.config.publicUrl : '');
  const config = backend?.type === 'kserve' ? backend.config : {};
  const stored = backend?.type === type ? backend.config : {};
  const streaming = (stored.streaming ?? null) as Record<string, unknown> | null;
  const [streams, setStreams] = useState(streaming !== null);
  const selected = types.find((t) => t.type === type);
  const secretLabel = selected?.secretLabel ?? 'Secret';
  const [clearSecret, setClearSecret] = useState(false);
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  const id = (field: string) => `backend-${environment}-${field}`;
  const canary = backend?.canary;

  return (
    <form className="stack wide" onSubmit={submitWithoutReset(action)} aria-labelledby={id('heading')} data-testid={`backend-${environment}`}>
      <h3 id={id('heading')}>Deployment backend</h3>
      {backend ? (
        <p className="small" data-testid="backend-summary">
          Releases run on the <strong>{backend.label}</strong>
          {backend.hasSecret ? ` (${SECRET_NOUN[backend.type] ?? 'token'} stored, encrypted)` : ' (no secret stored)'}.
        </p>
      ) : (
        <p className="notice warn" role="note" data-testid="backend-none">
          No deployment backend: in {environment}, “live” is a registry alias that says which version should serve. Going live
          and rolling back change the alias; nothing is deployed. Connect a backend below to deploy for real.
        </p>
      )}
      <input type="hidden" name="environment" value={environment} />
      <SelectField id={id('type')} name="type" label="Backend" value={type} onChange={(e) => setType(e.target.value)} hint={selected?.description} errors={errors}>
        {types.map((t) => (
          <option key={t.type} value={t.type}>
            {t.label}
          </option>
        ))}
      </SelectField>
      {type === 'kserve' ? (
        <fieldset className="grid-fields" data-testid="kserve-fields">
          <legend>Kubernetes</legend>
          <ConfigFields fields={KSERVE_FIELDS} values={config} errorPrefix="config" id={id} errors={errors} />
        </fieldset>
      ) : (
        <>
          <TextField
            id={id('url')}
            name="url"
            label={type === 'webhook' ? 'Deployment URL' : 'Model server URL'}
            type="url"
            required
            placeholder={type === 'webhook' ? 'https://ci.example.com/hooks/modeldeck' : 'http://127.0.0.1:8090'}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            hint={type === 'webhook' ? 'Signed deployment requests are POSTed here (your CI/CD, Argo CD hook or deployer).' : 'Where ModelDeck reaches the model server’s management API.'}
            errors={errors}
            errorKey="config.url"
          />
          {type === 'webhook' ? (
            <fieldset className="grid-fields" data-testid="webhook-fields">
              <legend>Callbacks</legend>
              <ConfigFields fields={WEBHOOK_FIELDS} values={stored} errorPrefix="config" id={id} errors={errors} />
            </fieldset>
          ) : (
            <>
              <TextField
                id={id('public-url')}
                name="publicUrl"
                label="Public URL (optional)"
                type="url"
                placeholder="https://models.example.com"
                value={publicUrl}
                onChange={(e) => setPublicUrl(e.target.value)}
                hint="The base URL clients send predictions to, if it differs from the one above."
                errors={errors}
                errorKey="config.publicUrl"
              />
              <fieldset className="grid-fields" data-testid="streaming-fields">
                <legend>Streaming (NATS JetStream)</legend>
                <Toggle id={id('streaming')} name="streaming" checked={streams} onChange={setStreams} label="Also consume infer requests from a stream" />
                {streams ? <ConfigFields fields={streamingFields(environment)} values={streaming ?? {}} errorPrefix="config.streaming" id={id} errors={errors} /> : null}
              </fieldset>
            </>
          )}
        </>
      )}
      {type === 'kserve' ? (
        <TextAreaField
          id={id('secret')}
          name="secret"
          label={secretLabel}
          rows={6}
          controlClassName="mono"
          autoComplete="off"
          spellCheck={false}
          disabled={clearSecret}
          required={!(backend?.type === 'kserve' && backend.hasSecret)}
          placeholder={backend?.type === 'kserve' && backend.hasSecret ? 'Stored — leave empty to keep it' : 'Paste the kubeconfig (YAML) of an account allowed to manage InferenceServices in the namespace'}
          hint="Stored encrypted and never shown again."
          errors={errors}
        />
      ) : (
        <TextField
          id={id('secret')}
          name="secret"
          label={secretLabel}
          type="password"
          autoComplete="off"
          disabled={clearSecret}
          placeholder={backend?.hasSecret ? 'Stored — leave empty to keep it' : type === 'webhook' ? 'The secret the receiver verifies requests and signs callbacks with' : 'Paste the token'}
          hint="Stored encrypted and never shown again."
          errors={errors}
        />
      )}
      {backend?.hasSecret ? (
        <Toggle id={id('clear-secret')} name="clearSecret" checked={clearSecret} onChange={setClearSecret} label="Remove the stored secret" />
      ) : null}
      <fieldset className="checks">
        <legend>Canary analysis</legend>
        {CANARY_FIELDS.map((f) => (
          <TextField
            key={f.name}
            className="narrow"
            id={id(f.id)}
            name={f.name}
            label={f.label}
            type="number"
            min={f.min}
            step={f.step}
            defaultValue={canary?.[f.name] ?? f.fallback}
            errors={errors}
            errorKey={`canary.${f.name}`}
          />
        ))}
      </fieldset>
      <FormMessage state={state} />
      <div className="checks">
        <button className="btn primary" type="submit" name="intent" value="save" disabled={pending}>
          {backend ? 'Save backend' : 'Connect backend'}
        </button>
        {backend ? (
          <>
            <button type="submit" name="intent" value="check" className="btn" disabled={pending} formNoValidate>
              Check connection
            </button>
            <button type="submit" name="intent" value="remove" className="btn danger" disabled={pending} formNoValidate>
              Disconnect
            </button>
          </>
        ) : null}
      </div>
    </form>
  );
}
