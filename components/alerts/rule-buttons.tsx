'use client';

import { useActionState } from 'react';
import { deleteRuleAction, setRuleEnabledAction } from '@/app/(app)/alerts/rules/actions';
import { ConfirmDeleteButton } from '@/components/ui/confirm-action-button';
import { FormMessage } from '@/components/ui/form-feedback';

export function ToggleRuleButton({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const [state, action, pending] = useActionState(setRuleEnabledAction, { status: 'idle' });
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
      <button type="submit" className="btn small secondary" disabled={pending} aria-label={`${enabled ? 'Disable' : 'Enable'} rule ${name}`}>
        {pending ? 'Saving…' : enabled ? 'Disable' : 'Enable'}
      </button>
      {state.status === 'error' ? <FormMessage state={state} /> : null}
    </form>
  );
}

export function DeleteRuleButton({ id, name, openAlerts }: { id: string; name: string; openAlerts: number }) {
  return (
    <ConfirmDeleteButton action={deleteRuleAction} id={id} kind="rule" name={name}>
      <p>
        “{name}” stops being evaluated and its alerts{openAlerts > 0 ? `, including ${openAlerts} open,` : ''} are deleted with it. The audit log keeps the
        record. To pause it instead, disable it.
      </p>
    </ConfirmDeleteButton>
  );
}
