'use client';

import { useId } from 'react';
import { retrainingWebhookAction } from '@/app/(app)/admin/environments/retraining-actions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['url', 'secret'] as const;

/** Admin → Environments: where this environment's retraining requests go (secret write-only). */
export function RetrainingWebhookForm(props: { environment: string; url: string | null }) {
  const { state, pending, errors, errorId, form, field } = useFormAction(retrainingWebhookAction, { resetOnSuccess: false });
  const remove = useFormAction(retrainingWebhookAction);
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
        <div className="field">
          <label htmlFor={`${id}-url`}>Webhook URL</label>
          <input id={`${id}-url`} name="url" defaultValue={props.url ?? ''} placeholder="https://ci.example.com/retrain" {...field('url')} />
          <FieldError errors={errors} name="url" id={errorId('url')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-secret`}>Shared secret</label>
          <input id={`${id}-secret`} name="secret" type="password" autoComplete="new-password" placeholder={props.url ? 'Enter it again to change the URL or the secret' : 'At least 16 characters'} {...field('secret')} />
          <FieldError errors={errors} name="secret" id={errorId('secret')} />
        </div>
        <div className="button-row">
          <button className="btn" type="submit" disabled={pending}>
            {pending ? 'Saving…' : 'Save pipeline'}
          </button>
        </div>
        <FormMessage state={state} fields={FIELDS} />
      </form>
      {props.url ? (
        <form {...remove.form}>
          <input type="hidden" name="environment" value={props.environment} />
          <input type="hidden" name="intent" value="remove" />
          <ConfirmDialog label="Remove pipeline" className="btn small danger" title="Stop retraining requests?" confirmLabel="Remove pipeline" pending={remove.pending} pendingLabel="Removing…">
            <p>Rules with the retraining action will note on their alerts that {props.environment} has no pipeline. Requests already sent are kept.</p>
          </ConfirmDialog>
          <FormMessage state={remove.state} />
        </form>
      ) : null}
    </details>
  );
}
