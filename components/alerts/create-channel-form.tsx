'use client';

import { createChannelAction } from '@/app/(app)/admin/channels/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { SecretOnce, SelectField, SubmitButton, TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['kind', 'name', 'target'];

export function CreateChannelForm({ emailConfigured }: { emailConfigured: boolean }) {
  const { state, pending, errors, errorId, form } = useFormAction(createChannelAction, { resetOnSuccess: true });
  return (
    <form className="stack" {...form} aria-label="Create alert channel">
      <SelectField id="channel-kind" name="kind" label="Kind" defaultValue="webhook" errors={errors} errorId={errorId('kind')}>
        <option value="webhook">Signed webhook</option>
        <option value="slack">Slack incoming webhook</option>
        <option value="email" disabled={!emailConfigured}>
          E-mail{emailConfigured ? '' : ' (set SMTP_HOST first)'}
        </option>
      </SelectField>
      <TextField id="channel-name" name="name" label="Name" required maxLength={120} placeholder="ML on-call" errors={errors} errorId={errorId('name')} />
      <TextField
        id="channel-target"
        name="target"
        label="Target"
        required
        maxLength={2000}
        placeholder="https://… or oncall@example.com, ml@example.com"
        hint="Webhook: the URL. Slack: the incoming-webhook URL (stored encrypted). E-mail: recipients, comma-separated."
        errors={errors}
        errorId={errorId('target')}
      />
      <FormMessage state={state} fields={FIELDS} />
      {state.status === 'success' && state.data?.secret ? (
        <SecretOnce intro={`Signing secret for ${state.data.name} — copy it now, it will not be shown again:`} secret={state.data.secret} testId="channel-secret" />
      ) : null}
      <SubmitButton pending={pending} label="Create channel" pendingLabel="Creating…" />
    </form>
  );
}
