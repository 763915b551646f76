'use client';

import { createWebhookAction } from '@/app/(app)/admin/webhooks/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';
import { WEBHOOK_EVENTS } from '@/lib/server/webhooks/events';

const FIELDS = ['url', 'events', 'description'];

export function CreateWebhookForm() {
  const { state, pending, errors, errorId, form, field } = useFormAction(createWebhookAction, { resetOnSuccess: true });
  return (
    <form className="stack" {...form} aria-label="Create webhook">
      <div className="field">
        <label htmlFor="webhook-url">URL</label>
        <input id="webhook-url" name="url" type="url" required placeholder="https://ci.example.com/hooks/modeldeck" {...field('url')} />
        <FieldError errors={errors} name="url" id={errorId('url')} />
      </div>
      <div className="field">
        <span className="label">Events</span>
        <div className="checks" role="group" aria-label="Events" {...field('events')}>
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} htmlFor={`webhook-event-${event}`}>
              <input type="checkbox" id={`webhook-event-${event}`} name="events[]" value={event} />
              <code>{event}</code>
            </label>
          ))}
        </div>
        <FieldError errors={errors} name="events" id={errorId('events')} />
      </div>
      <div className="field">
        <label htmlFor="webhook-description">Description</label>
        <input id="webhook-description" name="description" maxLength={500} placeholder="Deploy pipeline" {...field('description')} />
        <FieldError errors={errors} name="description" id={errorId('description')} />
      </div>
      <FormMessage state={state} fields={FIELDS} />
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
