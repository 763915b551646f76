'use client';

import Link from 'next/link';
import { useActionState, useEffect } from 'react';
import { controlReleaseAction } from '@/app/(app)/releases/[id]/actions';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/form-feedback';

type Control = 'pause' | 'resume' | 'abort' | 'promote-now';

/** One control as its own form, so each button reports its own outcome (a 409 says why). */
function ControlForm({ id, control, children, onDone }: { id: string; control: Control; children: (pending: boolean) => React.ReactNode; onDone: () => void }) {
  const [state, action, pending] = useActionState(controlReleaseAction, { status: 'idle' });
  useEffect(() => {
    if (state.status !== 'idle') onDone();
  }, [state, onDone]);
  const promotionId = state.status === 'success' ? (state.data as { promotionId: string | null } | undefined)?.promotionId : null;
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="control" value={control} />
      {children(pending)}
      <FormMessage state={state} />
      {promotionId ? (
        <p className="small">
          <Link href={`/releases/${promotionId}`}>Open the replace request</Link>
        </p>
      ) : null}
    </form>
  );
}

/**
 * Pause, resume, abort and promote-now for a running canary; promote and stop for a shadow.
 * The server decides (a stale page gets 409 and says so); abort and stop ask first.
 */
export function RolloutControls(props: { id: string; strategy: string; status: string; version: number; primaryVersion: number | null; onDone: () => void }) {
  const { id, strategy, status, version, primaryVersion, onDone } = props;
  const running = status === 'deploying' || status === 'paused';
  if (!running || (strategy !== 'canary' && strategy !== 'shadow')) return null;
  const primary = primaryVersion !== null ? `v${primaryVersion}` : 'the primary';
  return (
    <div className="rollout-controls" role="group" aria-label="Rollout controls" data-testid="rollout-controls">
      {strategy === 'canary' && status === 'deploying' ? (
        <ControlForm id={id} control="pause" onDone={onDone}>
          {(pending) => (
            <button className="btn" type="submit" disabled={pending}>
              {pending ? 'Pausing…' : 'Pause'}
            </button>
          )}
        </ControlForm>
      ) : null}
      {strategy === 'canary' && status === 'paused' ? (
        <ControlForm id={id} control="resume" onDone={onDone}>
          {(pending) => (
            <button className="btn" type="submit" disabled={pending}>
              {pending ? 'Resuming…' : 'Resume'}
            </button>
          )}
        </ControlForm>
      ) : null}
      <ControlForm id={id} control="promote-now" onDone={onDone}>
        {(pending) => (
          <button className="btn primary" type="submit" disabled={pending}>
            {strategy === 'shadow' ? (pending ? 'Opening…' : 'Promote (request a replace)') : pending ? 'Promoting…' : 'Promote now'}
          </button>
        )}
      </ControlForm>
      <ControlForm id={id} control="abort" onDone={onDone}>
        {(pending) => (
          <ConfirmDialog
            label={strategy === 'shadow' ? 'Stop shadow' : 'Abort'}
            className="btn danger"
            title={strategy === 'shadow' ? `Stop mirroring to v${version}?` : `Abort the canary of v${version}?`}
            confirmLabel={strategy === 'shadow' ? 'Stop shadow' : 'Abort canary'}
            pending={pending}
            pendingLabel={strategy === 'shadow' ? 'Stopping…' : 'Aborting…'}
          >
            <p>
              All traffic goes back to {primary} and v{version} is unloaded. The release ends as aborted; request it again to
              retry.
            </p>
          </ConfirmDialog>
        )}
      </ControlForm>
    </div>
  );
}
