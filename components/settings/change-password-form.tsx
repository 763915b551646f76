'use client';

import { changePasswordAction } from '@/app/(app)/settings/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { SubmitButton, TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function ChangePasswordForm({ email }: { email: string }) {
  const { state, pending, errors, errorId, form } = useFormAction(changePasswordAction);
  return (
    <form className="stack" {...form} aria-label="Change password">
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <TextField
        id="current-password"
        name="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        errors={errors}
        errorId={errorId('currentPassword')}
      />
      <TextField
        id="new-password"
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        maxLength={200}
        hint="At least 12 characters. Your other sessions are signed out."
        errors={errors}
        errorId={errorId('newPassword')}
      />
      <FormMessage state={state} fields={FIELDS} />
      <SubmitButton pending={pending} label="Change password" pendingLabel="Changing…" />
    </form>
  );
}
