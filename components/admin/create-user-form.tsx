'use client';

import { useActionState } from 'react';
import { createUserAction } from '@/app/(app)/admin/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { RoleCheckboxes } from './role-checkboxes';

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, { status: 'idle' });
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form className="stack" action={action} aria-label="Create user">
      <div className="field">
        <label htmlFor="new-email">E-mail</label>
        <input id="new-email" name="email" type="email" required aria-invalid={Boolean(errors?.email)} />
        <FieldError errors={errors} name="email" />
      </div>
      <div className="field">
        <label htmlFor="new-name">Name</label>
        <input id="new-name" name="name" required aria-invalid={Boolean(errors?.name)} />
        <FieldError errors={errors} name="name" />
      </div>
      <div className="field">
        <span className="label">Roles</span>
        <RoleCheckboxes selected={['viewer']} idPrefix="new-role" />
        <FieldError errors={errors} name="roles" />
      </div>
      <div className="field">
        <label htmlFor="new-password">Initial password</label>
        <input id="new-password" name="password" type="password" autoComplete="new-password" aria-describedby="new-password-hint" />
        <span className="hint" id="new-password-hint">At least 12 characters. Leave empty to generate a temporary password.</span>
        <FieldError errors={errors} name="password" />
      </div>
      <FormMessage state={state} />
      {state.status === 'success' && state.data?.temporaryPassword ? (
        <div className="notice warn" role="status">
          Temporary password for {state.data.email} (shown once): <span className="secret" data-testid="temporary-password">{state.data.temporaryPassword}</span>
        </div>
      ) : null}
      <div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
