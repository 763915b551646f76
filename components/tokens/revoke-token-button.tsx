'use client';

import { revokeTokenAction } from '@/app/(app)/settings/tokens/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmActionButton
      action={revokeTokenAction}
      fields={{ id }}
      label="Revoke"
      labelForAssistiveTech={`Revoke ${name}`}
      className="btn small danger"
      title={`Revoke the token "${name}"?`}
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
    >
      <p>Anything using this token (pipelines, scripts) is refused from now on. This cannot be undone: create a new token to replace it.</p>
    </ConfirmActionButton>
  );
}
