'use client';

import { useActionState, useState } from 'react';
import { environmentBackendAction } from '@/app/(app)/admin/environments/backend-actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { CheckboxField, SelectField, TextAreaField, TextField } from '@/components/ui/form-fields';
import { submitWithoutReset } from '@/components/ui/submit-without-reset';
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

/** The KServe settings: `config.<key>`, or `config.resources.<key>`. */
const KSERVE_FIELDS: {
  key: string;
  id: string;
  label: string;
  path?: 'resources';
  fallback?: string;
  hint?: string;
  placeholder?: string;
  required?: boolean;
  type?: string;
  min?: number;
  max?: number;
  className?: string;
}[] = [
  { key: 'namespace', id: 'namespace', label: 'Namespace', required: true, placeholder: 'models', hint: 'One InferenceService per model is created here.' },
  { key: 'ingressBaseUrl', id: 'ingress', label: 'Ingress base URL (optional)', type: 'url', placeholder: 'https://models.example.com', hint: 'Where clients reach the models; without it, the cluster-local address.' },
  { key: 'serviceAccountName', id: 'service-account', label: 'Service account (optional)', placeholder: 'model-puller', hint: 'Holds the credentials KServe uses to download artifacts from S3.' },
  { key: 'cpu', id: 'cpu', path: 'resources', label: 'CPU (optional)', placeholder: '500m', className: 'narrow' },
  { key: 'memory', id: 'memory', path: 'resources', label: 'Memory (optional)', placeholder: '1Gi', className: 'narrow' },
  { key: 'gpu', id: 'gpu', path: 'resources', label: 'GPUs (optional)', type: 'number', min: 0, max: 16, className: 'narrow' },
  { key: 'timeoutSeconds', id: 'timeout', label: 'Seconds to wait for Ready', type: 'number', min: 5, max: 3600, fallback: '300', className: 'narrow' },
];

/** The canary analysis settings, each a number with its default. */
const CANARY_FIELDS = [
  { name: 'intervalSeconds', id: 'interval', label: 'Seconds between steps', min: 5, step: undefined, fallback: 60 },
  { name: 'maxErrorRateIncrease', id: 'error-rate', label: 'Max error rate above primary (points)', min: 0, step: '0.1', fallback: 1 },
  { name: 'maxLatencyRatio', id: 'latency', label: 'Max p95 latency (× primary)', min: 1, step: '0.1', fallback: 1.5 },
  { name: 'minRequests', id: 'min-requests', label: 'Min canary requests per step', min: 1, step: undefined, fallback: 20 },
] as const;

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export function EnvironmentBackendForm({ environment, backend, types }: { environment: string; backend: EnvironmentBackendView | null; types: BackendTypeOption[] }) {
  const [state, action, pending] = useActionState(environmentBackendAction, { status: 'idle' });
  const [type, setType] = useState(backend?.type ?? 'local');
  const [url, setUrl] = useState(typeof backend?.config.url === 'string' ? backend.config.url : '');
  const [publicUrl, setPublicUrl] = useState(typeof backend?.config.publicUrl === 'string' ? backend.config.publicUrl : '');
  const config = backend?.type === 'kserve' ? backend.config : {};
  const resources = (config.resources ?? {}) as Record<string, unknown>;
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
          {backend.hasSecret ? ` (${backend.type === 'kserve' ? 'kubeconfig' : 'token'} stored, encrypted)` : ' (no secret stored)'}.
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
          {KSERVE_FIELDS.map(({ key, id: suffix, path, fallback, ...f }) => (
            <TextField
              key={key}
              id={id(suffix)}
              name={key}
              defaultValue={text(path === 'resources' ? resources[key] : config[key]) || fallback}
              errors={errors}
              errorKey={path === 'resources' ? `config.resources.${key}` : `config.${key}`}
              {...f}
            />
          ))}
        </fieldset>
      ) : (
        <>
          <TextField
            id={id('url')}
            name="url"
            label="Model server URL"
            type="url"
            required
            placeholder="http://127.0.0.1:8090"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            hint="Where ModelDeck reaches the model server’s management API."
            errors={errors}
            errorKey="config.url"
          />
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
          placeholder={backend?.hasSecret ? 'Stored — leave empty to keep it' : 'Paste the token'}
          hint="Stored encrypted and never shown again."
          errors={errors}
        />
      )}
      {backend?.hasSecret ? (
        <CheckboxField
          id={id('clear-secret')}
          className="inline-check small"
          name="clearSecret"
          value="true"
          checked={clearSecret}
          onChange={(e) => setClearSecret(e.target.checked)}
          label="Remove the stored secret"
        />
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
