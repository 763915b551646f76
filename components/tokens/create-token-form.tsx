'use client';

import { useActionState } from 'react';
import { createTokenAction } from '@/app/(app)/settings/tokens/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';

export function CreateTokenForm() {
  const [state, action, pending] = useActionState(createTokenAction, { status: 'idle' });
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <>
      <form className="inline" action={action} aria-label="Create API token">
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input id="token-name" name="name" required placeholder="training pipeline" />
          <FieldError errors={errors} name="name" />
        </div>
        <div className="field">
          <label htmlFor="token-expiry">Expires after (days)</label>
          <input id="token-expiry" name="expiresInDays" type="number" min={1} max={3650} placeholder="never" />
          <FieldError errors={errors} name="expiresInDays" />
        </div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <FormMessage state={state} />
      {state.status === 'success' && state.data?.token ? (
        <div className="notice warn" role="status">
          Copy it now — it will not be shown again:
          <div className="secret" data-testid="new-token">{state.data.token}</div>
        </div>
      ) : null}
    </>
  );
}
