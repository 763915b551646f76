'use client';

import { useActionState } from 'react';
import { moveEnvironmentAction } from '@/app/(app)/admin/environments/actions';
import { FormMessage } from '@/components/ui/form-feedback';

/** Move up / Move down for one environment; the clicked button posts `direction`. */
export function EnvironmentMoveButtons({ name }: { name: string }) {
  const [state, action, pending] = useActionState(moveEnvironmentAction, { status: 'idle' });
  return (
    <form className="inline" action={action} aria-label={`Order of ${name}`}>
      <input type="hidden" name="name" value={name} />
      <button className="btn small" type="submit" name="direction" value="up" disabled={pending} aria-label={`Move ${name} up`}>
        Move up
      </button>
      <button className="btn small" type="submit" name="direction" value="down" disabled={pending} aria-label={`Move ${name} down`}>
        Move down
      </button>
      <FormMessage state={state} />
    </form>
  );
}
