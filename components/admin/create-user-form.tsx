'use client';

import { createUserAction } from '@/app/(app)/admin/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';
import { RoleCheckboxes } from './role-checkboxes';

const FIELDS = ['email', 'name', 'roles', 'password'];

export function CreateUserForm() {
  const { state, pending, errors, errorId, form, field } = useFormAction(createUserAction, { resetOnSuccess: true });
  return (
    <form className="stack" {...form} aria-label="Create user">
      <div className="field">
        <label htmlFor="new-email">E-mail</label>
        <input id="new-email" name="email" type="email" required {...field('email')} />
        <FieldError errors={errors} name="email" id={errorId('email')} />
      </div>
      <div className="field">
        <label htmlFor="new-name">Name</label>
        <input id="new-name" name="name" required {...field('name')} />
        <FieldError errors={errors} name="name" id={errorId('name')} />
      </div>
      <div className="field">
        <span className="label">Roles</span>
        <RoleCheckboxes selected={['viewer']} idPrefix="new-role" groupProps={field('roles')} />
        <FieldError errors={errors} name="roles" id={errorId('roles')} />
      </div>
      <div className="field">
        <label htmlFor="new-password">Initial password</label>
        <input id="new-password" name="password" type="password" autoComplete="new-password" {...field('password', 'new-password-hint')} />
        <span className="hint" id="new-password-hint">At least 12 characters. Leave empty to generate a temporary password.</span>
        <FieldError errors={errors} name="password" id={errorId('password')} />
      </div>
      <FormMessage state={state} fields={FIELDS} />
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
