'use client';

import { useActionState } from 'react';
import { revokeTokenAction } from '@/app/(app)/settings/tokens/actions';
import { FormMessage } from '@/components/ui/form-feedback';

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const [state, action, pending] = useActionState(revokeTokenAction, { status: 'idle' });
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <button className="btn small danger" type="submit" disabled={pending} aria-label={`Revoke ${name}`}>
        Revoke
      </button>
      <FormMessage state={state} />
    </form>
  );
}
