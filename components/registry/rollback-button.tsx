'use client';

import { useActionState } from 'react';
import { rollbackAction } from '@/app/(app)/models/[name]/actions';
import { FormMessage } from '@/components/ui/form-feedback';

/** Puts the previously live version back; refused (409) when what is live changed since the page loaded. */
export function RollbackButton(props: { model: string; environment: string; releaseId: string; liveVersion: number }) {
  const [state, action, pending] = useActionState(rollbackAction, { status: 'idle' });
  return (
    <form action={action} aria-label={`Roll back ${props.environment}`}>
      <input type="hidden" name="name" value={props.model} />
      <input type="hidden" name="environment" value={props.environment} />
      <input type="hidden" name="expectedReleaseId" value={props.releaseId} />
      <button className="btn small danger" type="submit" disabled={pending} title={`Replace v${props.liveVersion} with the version it replaced`}>
        {pending ? 'Rolling back…' : 'Roll back'}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
