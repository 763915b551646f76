'use client';

import { useActionState } from 'react';
import { deleteWebhookAction } from '@/app/(app)/admin/webhooks/actions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/form-feedback';

export function DeleteWebhookButton({ id, url }: { id: string; url: string }) {
  const [state, action, pending] = useActionState(deleteWebhookAction, { status: 'idle' });
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <ConfirmDialog
        label="Delete"
        labelForAssistiveTech={`Delete webhook ${url}`}
        className="btn small danger"
        title="Delete this webhook?"
        confirmLabel="Delete webhook"
        pending={pending}
        pendingLabel="Deleting…"
      >
        <p>
          <span className="mono">{url}</span> will receive no more events, and its delivery log is deleted too.
        </p>
      </ConfirmDialog>
      <FormMessage state={state} />
    </form>
  );
}
