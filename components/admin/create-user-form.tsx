'use client';

import { createUserAction } from '@/app/(app)/admin/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { CheckboxGroupField, SubmitButton, TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';
import { RoleOptions } from './role-checkboxes';

const FIELDS = ['email', 'name', 'roles', 'password'];

export function CreateUserForm() {
  const { state, pending, errors, errorId, form } = useFormAction(createUserAction, { resetOnSuccess: true });
  return (
    <form className="stack" {...form} aria-label="Create user">
      <TextField id="new-email" name="email" label="E-mail" type="email" required errors={errors} errorId={errorId('email')} />
      <TextField id="new-name" name="name" label="Name" required errors={errors} errorId={errorId('name')} />
      <CheckboxGroupField id="new-roles" name="roles" label="Roles" errors={errors} errorId={errorId('roles')}>
        <RoleOptions selected={['viewer']} idPrefix="new-role" />
      </CheckboxGroupField>
      <TextField
        id="new-password"
        name="password"
        label="Initial password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. Leave empty to generate a temporary password."
        errors={errors}
        errorId={errorId('password')}
      />
      <FormMessage state={state} fields={FIELDS} />
      {state.status === 'success' && state.data?.temporaryPassword ? (
        <div className="notice warn" role="status">
          Temporary password for {state.data.email} (shown once): <span className="secret" data-testid="temporary-password">{state.data.temporaryPassword}</span>
        </div>
      ) : null}
      <SubmitButton pending={pending} label="Create user" pendingLabel="Creating…" />
    </form>
  );
}
