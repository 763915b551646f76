'use client';

import { useId } from 'react';
import { retrainingWebhookAction } from '@/app/(app)/admin/environments/retraining-actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { FormMessage } from '@/components/ui/form-feedback';
import { TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['url', 'secret'] as const;

/** Admin → Environments: where this environment's retraining requests go (secret write-only). */
export function RetrainingWebhookForm(props: { environment: string; url: string | null }) {
  const { state, pending, errors, errorId, form } = useFormAction(retrainingWebhookAction, { resetOnSuccess: false });
  const id = useId();
  return (
    <details className="retraining-webhook">
      <summary>
        Retraining pipeline: {props.url ? <span className="mono">{props.url}</span> : <span className="muted">not configured</span>}
      </summary>
      <p className="hint small muted">
        Rules with the “request retraining” action, and engineers on an alert, send a signed <code>retraining.requested</code> event here. The pipeline signs its
        callback with the same secret.
      </p>
      <form {...form} className="stack" aria-label={`Retraining pipeline of ${props.environment}`}>
        <input type="hidden" name="environment" value={props.environment} />
        <TextField id={`${id}-url`} name="url" label="Webhook URL" defaultValue={props.url ?? ''} placeholder="https://ci.example.com/retrain" errors={errors} errorId={errorId('url')} />
        <TextField
          id={`${id}-secret`}
          name="secret"
          label="Shared secret"
          type="password"
          autoComplete="new-password"
          placeholder={props.url ? 'Enter it again to change the URL or the secret' : 'At least 16 characters'}
          errors={errors}
          errorId={errorId('secret')}
        />
        <div className="button-row">
          <button className="btn" type="submit" disabled={pending}>
            {pending ? 'Saving…' : 'Save pipeline'}
          </button>
        </div>
        <FormMessage state={state} fields={FIELDS} />
      </form>
      {props.url ? (
        <ConfirmActionButton
          action={retrainingWebhookAction}
          fields={{ environment: props.environment, intent: 'remove' }}
          label="Remove pipeline"
          className="btn small danger"
          title="Stop retraining requests?"
          confirmLabel="Remove pipeline"
          pendingLabel="Removing…"
        >
          <p>Rules with the retraining action will note on their alerts that {props.environment} has no pipeline. Requests already sent are kept.</p>
        </ConfirmActionButton>
      ) : null}
    </details>
  );
}
