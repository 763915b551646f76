'use client';

import { createWebhookAction } from '@/app/(app)/admin/webhooks/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { CheckboxField, CheckboxGroupField, SecretOnce, SubmitButton, TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';
import { WEBHOOK_EVENTS } from '@/lib/server/webhooks/events';

const FIELDS = ['url', 'events', 'description'];

export function CreateWebhookForm() {
  const { state, pending, errors, errorId, form } = useFormAction(createWebhookAction, { resetOnSuccess: true });
  return (
    <form className="stack" {...form} aria-label="Create webhook">
      <TextField id="webhook-url" name="url" label="URL" type="url" required placeholder="https://ci.example.com/hooks/modeldeck" errors={errors} errorId={errorId('url')} />
      <CheckboxGroupField id="webhook-events" name="events" label="Events" errors={errors} errorId={errorId('events')}>
        {WEBHOOK_EVENTS.map((event) => (
          <CheckboxField key={event} id={`webhook-event-${event}`} name="events[]" value={event} label={<code>{event}</code>} />
        ))}
      </CheckboxGroupField>
      <TextField id="webhook-description" name="description" label="Description" maxLength={500} placeholder="Deploy pipeline" errors={errors} errorId={errorId('description')} />
      <FormMessage state={state} fields={FIELDS} />
      {state.status === 'success' && state.data?.secret ? (
        <SecretOnce intro={`Signing secret for ${state.data.url} — copy it now, it will not be shown again:`} secret={state.data.secret} testId="webhook-secret" />
      ) : null}
      <SubmitButton pending={pending} label="Create webhook" pendingLabel="Creating…" />
    </form>
  );
}
