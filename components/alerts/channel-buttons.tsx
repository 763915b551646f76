'use client';

import { useActionState } from 'react';
import { deleteChannelAction, testChannelAction } from '@/app/(app)/admin/channels/actions';
import { ConfirmDeleteButton } from '@/components/ui/confirm-action-button';
import { FormMessage } from '@/components/ui/form-feedback';

export function TestChannelButton({ id, name }: { id: string; name: string }) {
  const [state, action, pending] = useActionState(testChannelAction, { status: 'idle' });
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="btn small secondary" disabled={pending} aria-label={`Send a test message to ${name}`}>
        {pending ? 'Sending…' : 'Send test'}
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function DeleteChannelButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmDeleteButton action={deleteChannelAction} id={id} kind="channel" name={name}>
      <p>Rules that use {name} stop notifying it, and its delivery log is deleted.</p>
    </ConfirmDeleteButton>
  );
}
