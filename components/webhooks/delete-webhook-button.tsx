'use client';

import { useActionState } from 'react';
import { deleteWebhookAction } from '@/app/(app)/admin/webhooks/actions';
import { FormMessage } from '@/components/ui/form-feedback';

export function DeleteWebhookButton({ id, url }: { id: string; url: string }) {
  const [state, action, pending] = useActionState(deleteWebhookAction, { status: 'idle' });
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!window.confirm(`Delete the webhook for ${url}? Its delivery log is deleted too.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      <button className="btn small danger" type="submit" disabled={pending} aria-label={`Delete webhook ${url}`}>
        Delete
      </button>
      <FormMessage state={state} />
    </form>
  );
}
