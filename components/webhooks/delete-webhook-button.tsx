'use client';

import { deleteWebhookAction } from '@/app/(app)/admin/webhooks/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';

export function DeleteWebhookButton({ id, url }: { id: string; url: string }) {
  return (
    <ConfirmActionButton
      action={deleteWebhookAction}
      fields={{ id }}
      errorsOnly
      label="Delete"
      labelForAssistiveTech={`Delete webhook ${url}`}
      className="btn small danger"
      title="Delete this webhook?"
      confirmLabel="Delete webhook"
      pendingLabel="Deleting…"
    >
      <p>
        <span className="mono">{url}</span> will receive no more events, and its delivery log is deleted too.
      </p>
    </ConfirmActionButton>
  );
}
