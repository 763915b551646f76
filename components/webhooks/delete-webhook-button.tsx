'use client';

import { deleteWebhookAction } from '@/app/(app)/admin/webhooks/actions';
import { ConfirmDeleteButton } from '@/components/ui/confirm-action-button';

export function DeleteWebhookButton({ id, url }: { id: string; url: string }) {
  return (
    <ConfirmDeleteButton action={deleteWebhookAction} id={id} kind="webhook" name={url}>
      <p>
        <span className="mono">{url}</span> will receive no more events, and its delivery log is deleted too.
      </p>
    </ConfirmDeleteButton>
  );
}
