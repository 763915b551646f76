'use client';

import { createChannelAction } from '@/app/(app)/admin/channels/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['kind', 'name', 'target'];

export function CreateChannelForm({ emailConfigured }: { emailConfigured: boolean }) {
  const { state, pending, errors, errorId, form, field } = useFormAction(createChannelAction, { resetOnSuccess: true });
  return (
    <form className="stack" {...form} aria-label="Create alert channel">
      <div className="field">
        <label htmlFor="channel-kind">Kind</label>
        <select id="channel-kind" name="kind" defaultValue="webhook" {...field('kind')}>
          <option value="webhook">Signed webhook</option>
          <option value="slack">Slack incoming webhook</option>
          <option value="email" disabled={!emailConfigured}>
            E-mail{emailConfigured ? '' : ' (set SMTP_HOST first)'}
          </option>
        </select>
        <FieldError errors={errors} name="kind" id={errorId('kind')} />
      </div>
      <div className="field">
        <label htmlFor="channel-name">Name</label>
        <input id="channel-name" name="name" required maxLength={120} placeholder="ML on-call" {...field('name')} />
        <FieldError errors={errors} name="name" id={errorId('name')} />
      </div>
      <div className="field">
        <label htmlFor="channel-target">Target</label>
        <input id="channel-target" name="target" required maxLength={2000} placeholder="https://… or oncall@example.com, ml@example.com" {...field('target')} />
        <p className="muted">Webhook: the URL. Slack: the incoming-webhook URL (stored encrypted). E-mail: recipients, comma-separated.</p>
        <FieldError errors={errors} name="target" id={errorId('target')} />
      </div>
      <FormMessage state={state} fields={FIELDS} />
      {state.status === 'success' && state.data?.secret ? (
        <div className="notice warn" role="status">
          Signing secret for {state.data.name} — copy it now, it will not be shown again:
          <div className="secret" data-testid="channel-secret">
            {state.data.secret}
          </div>
        </div>
      ) : null}
      <div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create channel'}
        </button>
      </div>
    </form>
  );
}
