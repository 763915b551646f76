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
export function EnvironmentBackendForm({ environment, backend }: { environment: string; backend: EnvironmentBackendView | null }) {
  const [state, action, pending] = useActionState(environmentBackendAction, { status: 'idle' });
  const [url, setUrl] = useState(typeof backend?.config.url === 'string' ? backend.config.url : '');
  const [publicUrl, setPublicUrl] = useState(typeof backend?.config.publicUrl === 'string' ? backend.config.publicUrl : '');
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
          {backend.hasSecret ? ' (token stored, encrypted)' : ' (no token stored)'}.
        </p>
      ) : (
        <p className="notice warn" role="note" data-testid="backend-none">
          No deployment backend: in {environment}, “live” is a registry alias that says which version should serve. Going live
          and rolling back change the alias; nothing is deployed. Connect the reference model server below to deploy for real.
        </p>
      )}
      <input type="hidden" name="environment" value={environment} />
      <input type="hidden" name="type" value="local" />
      <div className="field">
        <label htmlFor={id('url')}>Model server URL</label>
        <input id={id('url')} name="url" type="url" required placeholder="http://127.0.0.1:8090" value={url} onChange={(e) => setUrl(e.target.value)} aria-describedby={id('url-hint')} />
        <span className="hint" id={id('url-hint')}>Where ModelDeck reaches the model server’s management API.</span>
        <FieldError errors={errors} name="config.url" />
      </div>
      <div className="field">
        <label htmlFor={id('public-url')}>Public URL (optional)</label>
        <input id={id('public-url')} name="publicUrl" type="url" placeholder="https://models.example.com" value={publicUrl} onChange={(e) => setPublicUrl(e.target.value)} aria-describedby={id('public-url-hint')} />
        <span className="hint" id={id('public-url-hint')}>The base URL clients send predictions to, if it differs from the one above.</span>
        <FieldError errors={errors} name="config.publicUrl" />
      </div>
      <div className="field">
        <label htmlFor={id('secret')}>Management token (MODEL_SERVER_TOKEN)</label>
        <input
          id={id('secret')}
          name="secret"
          type="password"
          autoComplete="off"
          disabled={clearSecret}
          placeholder={backend?.hasSecret ? 'Stored — leave empty to keep it' : 'Paste the token'}
          aria-describedby={id('secret-hint')}
        />
        <span className="hint" id={id('secret-hint')}>Stored encrypted and never shown again.</span>
        <FieldError errors={errors} name="secret" />
        {backend?.hasSecret ? (
          <label htmlFor={id('clear-secret')} className="inline-check small">
            <input id={id('clear-secret')} type="checkbox" name="clearSecret" value="true" checked={clearSecret} onChange={(e) => setClearSecret(e.target.checked)} /> Remove the stored token
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
