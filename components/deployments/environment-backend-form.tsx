'use client';

import { useActionState, useState } from 'react';
import { environmentBackendAction } from '@/app/(app)/admin/environments/backend-actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
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

/** What the stored secret is, in the summary line. */
const SECRET_NOUN: Record<string, string> = { kserve: 'kubeconfig', webhook: 'signing secret' };

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export function EnvironmentBackendForm({ environment, backend, types }: { environment: string; backend: EnvironmentBackendView | null; types: BackendTypeOption[] }) {
  const [state, action, pending] = useActionState(environmentBackendAction, { status: 'idle' });
  const [type, setType] = useState(backend?.type ?? 'local');
  const [url, setUrl] = useState(typeof backend?.config.url === 'string' ? backend.config.url : '');
  const [publicUrl, setPublicUrl] = useState(typeof backend?.config.publicUrl === 'string' ? backend.config.publicUrl : '');
  const config = backend?.type === 'kserve' ? backend.config : {};
  const stored = backend?.type === type ? backend.config : {};
  const streaming = (stored.streaming ?? null) as Record<string, unknown> | null;
  const [streams, setStreams] = useState(streaming !== null);
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
          {backend.hasSecret ? ` (${SECRET_NOUN[backend.type] ?? 'token'} stored, encrypted)` : ' (no secret stored)'}.
        </p>
      ) : (
        <p className="notice warn" role="note" data-testid="backend-none">
          No deployment backend: in {environment}, “live” is a registry alias that says which version should serve. Going live
          and rolling back change the alias; nothing is deployed. Connect a backend below to deploy for real.
        </p>
      )}
      <input type="hidden" name="environment" value={environment} />
      <div className="field">
        <label htmlFor={id('type')}>Backend</label>
        <select id={id('type')} name="type" value={type} onChange={(e) => setType(e.target.value)} aria-describedby={id('type-hint')}>
          {types.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </select>
        <span className="hint" id={id('type-hint')}>{selected?.description}</span>
        <FieldError errors={errors} name="type" />
      </div>
      {type === 'kserve' ? (
        <fieldset className="grid-fields" data-testid="kserve-fields">
          <legend>Kubernetes</legend>
          <div className="field">
            <label htmlFor={id('namespace')}>Namespace</label>
            <input id={id('namespace')} name="namespace" required defaultValue={text(config.namespace)} placeholder="models" aria-describedby={id('namespace-hint')} />
            <span className="hint" id={id('namespace-hint')}>One InferenceService per model is created here.</span>
            <FieldError errors={errors} name="config.namespace" />
          </div>
          <div className="field">
            <label htmlFor={id('ingress')}>Ingress base URL (optional)</label>
            <input id={id('ingress')} name="ingressBaseUrl" type="url" defaultValue={text(config.ingressBaseUrl)} placeholder="https://models.example.com" aria-describedby={id('ingress-hint')} />
            <span className="hint" id={id('ingress-hint')}>Where clients reach the models; without it, the cluster-local address.</span>
            <FieldError errors={errors} name="config.ingressBaseUrl" />
          </div>
          <div className="field">
            <label htmlFor={id('service-account')}>Service account (optional)</label>
            <input id={id('service-account')} name="serviceAccountName" defaultValue={text(config.serviceAccountName)} placeholder="model-puller" aria-describedby={id('service-account-hint')} />
            <span className="hint" id={id('service-account-hint')}>Holds the credentials KServe uses to download artifacts from S3.</span>
            <FieldError errors={errors} name="config.serviceAccountName" />
          </div>
          <div className="field narrow">
            <label htmlFor={id('cpu')}>CPU (optional)</label>
            <input id={id('cpu')} name="cpu" defaultValue={text(resources.cpu)} placeholder="500m" />
            <FieldError errors={errors} name="config.resources.cpu" />
          </div>
          <div className="field narrow">
            <label htmlFor={id('memory')}>Memory (optional)</label>
            <input id={id('memory')} name="memory" defaultValue={text(resources.memory)} placeholder="1Gi" />
            <FieldError errors={errors} name="config.resources.memory" />
          </div>
          <div className="field narrow">
            <label htmlFor={id('gpu')}>GPUs (optional)</label>
            <input id={id('gpu')} name="gpu" type="number" min={0} max={16} defaultValue={text(resources.gpu)} />
            <FieldError errors={errors} name="config.resources.gpu" />
          </div>
          <div className="field narrow">
            <label htmlFor={id('timeout')}>Seconds to wait for Ready</label>
            <input id={id('timeout')} name="timeoutSeconds" type="number" min={5} max={3600} defaultValue={text(config.timeoutSeconds) || '300'} />
            <FieldError errors={errors} name="config.timeoutSeconds" />
          </div>
        </fieldset>
      ) : (
        <>
          <div className="field">
            <label htmlFor={id('url')}>{type === 'webhook' ? 'Deployment URL' : 'Model server URL'}</label>
            <input
              id={id('url')}
              name="url"
              type="url"
              required
              placeholder={type === 'webhook' ? 'https://ci.example.com/hooks/modeldeck' : 'http://127.0.0.1:8090'}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              aria-describedby={id('url-hint')}
            />
            <span className="hint" id={id('url-hint')}>
              {type === 'webhook' ? 'Signed deployment requests are POSTed here (your CI/CD, Argo CD hook or deployer).' : 'Where ModelDeck reaches the model server’s management API.'}
            </span>
            <FieldError errors={errors} name="config.url" />
          </div>
          {type === 'webhook' ? (
            <fieldset className="grid-fields" data-testid="webhook-fields">
              <legend>Callbacks</legend>
              <div className="field">
                <label htmlFor={id('callback-base')}>ModelDeck URL for callbacks (optional)</label>
                <input id={id('callback-base')} name="callbackBaseUrl" type="url" defaultValue={text(stored.callbackBaseUrl)} placeholder="https://modeldeck.example.com" aria-describedby={id('callback-base-hint')} />
                <span className="hint" id={id('callback-base-hint')}>The receiver reports to …/api/v1/releases/&#123;id&#125;/callback here; NEXTAUTH_URL when empty.</span>
                <FieldError errors={errors} name="config.callbackBaseUrl" />
              </div>
              <div className="field narrow">
                <label htmlFor={id('callback-timeout')}>Seconds to wait for the outcome</label>
                <input id={id('callback-timeout')} name="callbackTimeoutSeconds" type="number" min={5} max={604800} defaultValue={text(stored.callbackTimeoutSeconds) || '1800'} aria-describedby={id('callback-timeout-hint')} />
                <span className="hint" id={id('callback-timeout-hint')}>No succeeded or failed callback by then: the release fails.</span>
                <FieldError errors={errors} name="config.callbackTimeoutSeconds" />
              </div>
            </fieldset>
          ) : (
            <>
              <div className="field">
                <label htmlFor={id('public-url')}>Public URL (optional)</label>
                <input id={id('public-url')} name="publicUrl" type="url" placeholder="https://models.example.com" value={publicUrl} onChange={(e) => setPublicUrl(e.target.value)} aria-describedby={id('public-url-hint')} />
                <span className="hint" id={id('public-url-hint')}>The base URL clients send predictions to, if it differs from the one above.</span>
                <FieldError errors={errors} name="config.publicUrl" />
              </div>
              <fieldset className="grid-fields" data-testid="streaming-fields">
                <legend>Streaming (NATS JetStream)</legend>
                <label htmlFor={id('streaming')} className="inline-check small">
                  <input id={id('streaming')} type="checkbox" name="streaming" value="true" checked={streams} onChange={(e) => setStreams(e.target.checked)} /> Also
                  consume infer requests from a stream
                </label>
                {streams ? (
                  <>
                    <div className="field">
                      <label htmlFor={id('nats-url')}>NATS URL</label>
                      <input id={id('nats-url')} name="natsUrl" defaultValue={text(streaming?.natsUrl)} placeholder="nats://127.0.0.1:4222" aria-describedby={id('nats-url-hint')} />
                      <span className="hint" id={id('nats-url-hint')}>Empty: NATS_URL, else nats://127.0.0.1:4222.</span>
                      <FieldError errors={errors} name="config.streaming.natsUrl" />
                    </div>
                    <div className="field narrow">
                      <label htmlFor={id('stream')}>Stream</label>
                      <input id={id('stream')} name="stream" defaultValue={text(streaming?.stream) || 'MODELDECK'} />
                      <FieldError errors={errors} name="config.streaming.stream" />
                    </div>
                    <div className="field narrow">
                      <label htmlFor={id('subject-prefix')}>Subject prefix</label>
                      <input id={id('subject-prefix')} name="subjectPrefix" defaultValue={text(streaming?.subjectPrefix) || 'modeldeck'} aria-describedby={id('subject-hint')} />
                      <FieldError errors={errors} name="config.streaming.subjectPrefix" />
                    </div>
                    <span className="hint" id={id('subject-hint')}>
                      Requests on <code>&lt;prefix&gt;.{environment}.&lt;model&gt;.requests</code>; answers on <code>….predictions</code>, unscorable requests on{' '}
                      <code>….dead-letter</code>. Applied to each model at its next rollout.
                    </span>
                  </>
                ) : null}
              </fieldset>
            </>
          )}
        </>
      )}
      <div className="field">
        <label htmlFor={id('secret')}>{secretLabel}</label>
        {type === 'kserve' ? (
          <textarea
            id={id('secret')}
            name="secret"
            rows={6}
            className="mono"
            autoComplete="off"
            spellCheck={false}
            disabled={clearSecret}
            required={!(backend?.type === 'kserve' && backend.hasSecret)}
            placeholder={backend?.type === 'kserve' && backend.hasSecret ? 'Stored — leave empty to keep it' : 'Paste the kubeconfig (YAML) of an account allowed to manage InferenceServices in the namespace'}
            aria-describedby={id('secret-hint')}
          />
        ) : (
          <input
            id={id('secret')}
            name="secret"
            type="password"
            autoComplete="off"
            disabled={clearSecret}
            placeholder={backend?.hasSecret ? 'Stored — leave empty to keep it' : type === 'webhook' ? 'The secret the receiver verifies requests and signs callbacks with' : 'Paste the token'}
            aria-describedby={id('secret-hint')}
          />
        )}
        <span className="hint" id={id('secret-hint')}>Stored encrypted and never shown again.</span>
        <FieldError errors={errors} name="secret" />
        {backend?.hasSecret ? (
          <label htmlFor={id('clear-secret')} className="inline-check small">
            <input id={id('clear-secret')} type="checkbox" name="clearSecret" value="true" checked={clearSecret} onChange={(e) => setClearSecret(e.target.checked)} /> Remove the stored secret
          </label>
        ) : null}
      </div>
      <fieldset className="checks">
        <legend>Canary analysis</legend>
        <div className="field narrow">
          <label htmlFor={id('interval')}>Seconds between steps</label>
          <input id={id('interval')} name="intervalSeconds" type="number" min={5} defaultValue={canary?.intervalSeconds ?? 60} />
          <FieldError errors={errors} name="canary.intervalSeconds" />
        </div>
        <div className="field narrow">
          <label htmlFor={id('error-rate')}>Max error rate above primary (points)</label>
          <input id={id('error-rate')} name="maxErrorRateIncrease" type="number" min={0} step="0.1" defaultValue={canary?.maxErrorRateIncrease ?? 1} />
          <FieldError errors={errors} name="canary.maxErrorRateIncrease" />
        </div>
        <div className="field narrow">
          <label htmlFor={id('latency')}>Max p95 latency (× primary)</label>
          <input id={id('latency')} name="maxLatencyRatio" type="number" min={1} step="0.1" defaultValue={canary?.maxLatencyRatio ?? 1.5} />
          <FieldError errors={errors} name="canary.maxLatencyRatio" />
        </div>
        <div className="field narrow">
          <label htmlFor={id('min-requests')}>Min canary requests per step</label>
          <input id={id('min-requests')} name="minRequests" type="number" min={1} defaultValue={canary?.minRequests ?? 20} />
          <FieldError errors={errors} name="canary.minRequests" />
        </div>
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
