'use client';

import { moveEnvironmentAction } from '@/app/(app)/admin/environments/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

/** Move up / Move down for one environment; the clicked button posts `direction`. */
export function EnvironmentMoveButtons({ name }: { name: string }) {
  const { state, pending, form } = useFormAction(moveEnvironmentAction);
  return (
    <form className="inline" {...form} aria-label={`Order of ${name}`}>
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
