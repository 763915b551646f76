'use client';

import { useActionState } from 'react';
import { acknowledgeAlertAction, resolveAlertAction } from '@/app/(app)/alerts/actions';
import { FormMessage } from '@/components/ui/form-feedback';

/** One click: acknowledge or resolve, with an optional comment when `withComment`. */
export function AlertActionButton({ id, action, ruleName, withComment = false }: { id: string; action: 'acknowledge' | 'resolve'; ruleName: string; withComment?: boolean }) {
  const [state, submit, pending] = useActionState(action === 'acknowledge' ? acknowledgeAlertAction : resolveAlertAction, { status: 'idle' });
  const label = action === 'acknowledge' ? 'Acknowledge' : 'Resolve';
  return (
    <form action={submit} className="inline">
      <input type="hidden" name="id" value={id} />
      {withComment ? (
        <div className="field">
          <label htmlFor={`${action}-comment-${id}`}>{action === 'acknowledge' ? 'Acknowledgement' : 'Resolution'} comment (optional)</label>
          <input id={`${action}-comment-${id}`} name="comment" maxLength={2000} placeholder={action === 'acknowledge' ? 'Looking into it' : 'What fixed it'} />
        </div>
      ) : null}
      <button type="submit" className={action === 'acknowledge' ? 'btn small' : 'btn small secondary'} disabled={pending} aria-label={`${label} ${ruleName}`}>
        {pending ? `${label}…` : label}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
