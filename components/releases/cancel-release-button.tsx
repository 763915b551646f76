'use client';

import { useActionState } from 'react';
import { cancelReleaseAction } from '@/app/(app)/releases/[id]/actions';
import { FormMessage } from '@/components/ui/form-feedback';

export function CancelReleaseButton({ id }: { id: string }) {
  const [state, action, pending] = useActionState(cancelReleaseAction, { status: 'idle' });
  return (
    <form action={action} aria-label="Cancel this request">
      <input type="hidden" name="id" value={id} />
      <button className="btn" type="submit" disabled={pending}>
        Cancel request
      </button>
      <FormMessage state={state} />
    </form>
  );
}
