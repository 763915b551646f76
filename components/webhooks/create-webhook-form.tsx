'use client';

import { useActionState } from 'react';
import { createWebhookAction } from '@/app/(app)/admin/webhooks/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { WEBHOOK_EVENTS } from '@/lib/server/webhooks/events';

export function CreateWebhookForm() {
  const [state, action, pending] = useActionState(createWebhookAction, { status: 'idle' });
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form className="stack" action={action} aria-label="Create webhook">
      <div className="field">
        <label htmlFor="webhook-url">URL</label>
        <input
          id="webhook-url"
          name="url"
          type="url"
          required
          placeholder="https://ci.example.com/hooks/modeldeck"
          aria-invalid={Boolean(errors?.url)}
        />
        <FieldError errors={errors} name="url" />
      </div>
      <div className="field">
        <span className="label">Events</span>
        <div className="checks" role="group" aria-label="Events">
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} htmlFor={`webhook-event-${event}`}>
              <input type="checkbox" id={`webhook-event-${event}`} name="events[]" value={event} />
              <code>{event}</code>
            </label>
          ))}
        </div>
        <FieldError errors={errors} name="events" />
      </div>
      <div className="field">
        <label htmlFor="webhook-description">Description</label>
        <input id="webhook-description" name="description" maxLength={500} placeholder="Deploy pipeline" />
        <FieldError errors={errors} name="description" />
      </div>
      <FormMessage state={state} />
      {state.status === 'success' && state.data?.secret ? (
        <div className="notice warn" role="status">
          Signing secret for {state.data.url} — copy it now, it will not be shown again:
          <div className="secret" data-testid="webhook-secret">
            {state.data.secret}
          </div>
        </div>
      ) : null}
      <div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create webhook'}
        </button>
      </div>
    </form>
  );
}
