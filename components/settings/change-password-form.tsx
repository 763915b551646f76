'use client';

import { changePasswordAction } from '@/app/(app)/settings/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function ChangePasswordForm({ email }: { email: string }) {
  const { state, pending, errors, errorId, form, field } = useFormAction(changePasswordAction);
  return (
    <form className="stack" {...form} aria-label="Change password">
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
          {...field('currentPassword')}
        />
        <FieldError errors={errors} name="currentPassword" id={errorId('currentPassword')} />
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
          {...field('newPassword', 'new-password-hint')}
        />
        <span className="muted" id="new-password-hint">At least 12 characters. Your other sessions are signed out.</span>
        <FieldError errors={errors} name="newPassword" id={errorId('newPassword')} />
      </div>
      <FormMessage state={state} fields={FIELDS} />
      <div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
