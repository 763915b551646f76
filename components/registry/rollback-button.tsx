'use client';

import { rollbackAction } from '@/app/(app)/models/[name]/actions';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';

/** Puts the previously live version back; refused (409) when what is live changed since the page loaded. */
export function RollbackButton(props: { model: string; environment: string; releaseId: string; liveVersion: number; rollbackTo: number }) {
  const environment = props.environment.charAt(0).toUpperCase() + props.environment.slice(1);
  return (
    <ConfirmActionButton
      action={rollbackAction}
      fields={{ name: props.model, environment: props.environment, expectedReleaseId: props.releaseId }}
      formLabel={`Roll back ${props.environment}`}
      label="Roll back"
      labelForAssistiveTech={`Roll back ${props.environment} to v${props.rollbackTo}`}
      className="btn small danger"
      tooltip={`Replace v${props.liveVersion} with v${props.rollbackTo}, the version it replaced`}
      title={`Roll back ${props.model} in ${props.environment}?`}
      confirmLabel={`Roll back to v${props.rollbackTo}`}
      pendingLabel="Rolling back…"
    >
      <p>
        {environment} will serve v{props.rollbackTo} again, at once and without a new approval. v{props.liveVersion} stops
        serving there.
      </p>
    </ConfirmActionButton>
  );
}
