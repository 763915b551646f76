'use client';

import { useActionState } from 'react';
import { signOutEverywhereAction } from '@/app/(app)/settings/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';

export function SignOutEverywhereForm() {
  const [state, action, pending] = useActionState(signOutEverywhereAction, { status: 'idle' });
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form className="stack" action={action} aria-label="Sign out everywhere">
      <div className="checks">
        <label>
          <input type="checkbox" name="confirm" value="yes" required aria-describedby={errors?.confirm ? 'confirm-error' : undefined} />
          Yes, end every session of mine, this one included
        </label>
      </div>
      <FieldError errors={errors} name="confirm" />
      <FormMessage state={state} />
      <div>
        <button className="btn danger" type="submit" disabled={pending}>
          {pending ? 'Signing out…' : 'Sign out everywhere'}
        </button>
      </div>
    </form>
  );
}
