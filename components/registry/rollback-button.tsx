'use client';

import { useActionState } from 'react';
import { rollbackAction } from '@/app/(app)/models/[name]/actions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/form-feedback';

/** Puts the previously live version back; refused (409) when what is live changed since the page loaded. */
export function RollbackButton(props: { model: string; environment: string; releaseId: string; liveVersion: number; rollbackTo: number }) {
  const [state, action, pending] = useActionState(rollbackAction, { status: 'idle' });
  const environment = props.environment.charAt(0).toUpperCase() + props.environment.slice(1);
  return (
    <form action={action} aria-label={`Roll back ${props.environment}`}>
      <input type="hidden" name="name" value={props.model} />
      <input type="hidden" name="environment" value={props.environment} />
      <input type="hidden" name="expectedReleaseId" value={props.releaseId} />
      <ConfirmDialog
        label="Roll back"
        labelForAssistiveTech={`Roll back ${props.environment} to v${props.rollbackTo}`}
        className="btn small danger"
        tooltip={`Replace v${props.liveVersion} with v${props.rollbackTo}, the version it replaced`}
        title={`Roll back ${props.model} in ${props.environment}?`}
        confirmLabel={`Roll back to v${props.rollbackTo}`}
        pending={pending}
        pendingLabel="Rolling back…"
      >
        <p>
          {environment} will serve v{props.rollbackTo} again, at once and without a new approval. v{props.liveVersion} stops
          serving there.
        </p>
      </ConfirmDialog>
      <FormMessage state={state} />
    </form>
  );
}
