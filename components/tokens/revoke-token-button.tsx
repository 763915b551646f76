'use client';

import { useActionState } from 'react';
import { revokeTokenAction } from '@/app/(app)/settings/tokens/actions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/form-feedback';

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const [state, action, pending] = useActionState(revokeTokenAction, { status: 'idle' });
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <ConfirmDialog
        label="Revoke"
        labelForAssistiveTech={`Revoke ${name}`}
        className="btn small danger"
        title={`Revoke the token "${name}"?`}
        confirmLabel="Revoke token"
        pending={pending}
        pendingLabel="Revoking…"
      >
        <p>Anything using this token (pipelines, scripts) is refused from now on. This cannot be undone: create a new token to replace it.</p>
      </ConfirmDialog>
      <FormMessage state={state} />
    </form>
  );
}
