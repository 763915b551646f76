'use client';

import { useActionState } from 'react';
import { changePasswordAction } from '@/app/(app)/settings/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';

export function ChangePasswordForm({ email }: { email: string }) {
  const [state, action, pending] = useActionState(changePasswordAction, { status: 'idle' });
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form className="stack" action={action} aria-label="Change password">
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <div className="field">
        <label htmlFor="current-password">Current password</label>
        <input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={errors?.currentPassword ? true : undefined}
          aria-describedby={errors?.currentPassword ? 'currentPassword-error' : undefined}
        />
        <FieldError errors={errors} name="currentPassword" />
      </div>
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={200}
          aria-invalid={errors?.newPassword ? true : undefined}
          aria-describedby={errors?.newPassword ? 'newPassword-error new-password-hint' : 'new-password-hint'}
        />
        <span className="muted" id="new-password-hint">At least 12 characters. Your other sessions are signed out.</span>
        <FieldError errors={errors} name="newPassword" />
      </div>
      <FormMessage state={state} />
      <div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
