'use client';

import { createTokenAction } from '@/app/(app)/settings/tokens/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['name', 'expiresInDays'];

export function CreateTokenForm() {
  const { state, pending, errors, errorId, form, field } = useFormAction(createTokenAction, { resetOnSuccess: true });
  return (
    <>
      <form className="inline" {...form} aria-label="Create API token">
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input id="token-name" name="name" required placeholder="training pipeline" {...field('name')} />
          <FieldError errors={errors} name="name" id={errorId('name')} />
        </div>
        <div className="field">
          <label htmlFor="token-expiry">Expires after (days)</label>
          <input id="token-expiry" name="expiresInDays" type="number" min={1} max={3650} placeholder="never" {...field('expiresInDays')} />
          <FieldError errors={errors} name="expiresInDays" id={errorId('expiresInDays')} />
        </div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <FormMessage state={state} fields={FIELDS} />
      {state.status === 'success' && state.data?.token ? (
        <div className="notice warn" role="status">
          Copy it now — it will not be shown again:
          <div className="secret" data-testid="new-token">{state.data.token}</div>
        </div>
      ) : null}
    </>
  );
}
