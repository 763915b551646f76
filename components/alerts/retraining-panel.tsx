'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { requestRetrainingAction } from '@/app/(app)/alerts/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { Time } from '@/components/ui/time';
import type { RetrainingRequestView } from '@/lib/validation/retraining';

const STATUS_TEXT: Record<RetrainingRequestView['status'], string> = {
  requested: 'Requested',
  acknowledged: 'Acknowledged by the pipeline',
  completed: 'Completed',
  failed: 'Delivery failed',
};

/** One retraining request's progress: requested → acknowledged → completed (or failed). */
export function RetrainingStatus({ request }: { request: RetrainingRequestView }) {
  return (
    <div data-testid={`retraining-${request.id}`}>
      <strong>{STATUS_TEXT[request.status]}</strong> — {request.model} in {request.environment}
      {request.liveVersion !== null ? <> from v{request.liveVersion}</> : null}, <Time value={request.createdAt} />.{' '}
      {request.status === 'requested' ? (request.deliveredAt ? 'Delivered; waiting for the pipeline.' : `Sending (attempt ${request.attempts + 1}).`) : null}
      {request.pipelineRunId ? <> Pipeline run <span className="mono">{request.pipelineRunId}</span>.</> : null}
      {request.completedVersion !== null ? (
        <>
          {' '}
          New version: <Link href={`/models/${request.model}/versions/${request.completedVersion}`}>v{request.completedVersion}</Link>.
        </>
      ) : null}
      {request.lastError ? <div className="muted">Last error: {request.lastError}</div> : null}
      {request.alertId ? (
        <div className="small">
          <Link href={`/alerts/${request.alertId}`}>The alert</Link>
        </div>
      ) : null}
    </div>
  );
}

/** On an alert: its retraining request, or the engineer's button to ask for one. */
export function AlertRetraining(props: { alertId: string; request: RetrainingRequestView | null; mayRequest: boolean }) {
  const [state, submit, pending] = useActionState(requestRetrainingAction, { status: 'idle' });
  return (
    <section className="panel" aria-labelledby="retraining-heading">
      <h2 id="retraining-heading">Retraining</h2>
      {props.request ? (
        <RetrainingStatus request={props.request} />
      ) : props.mayRequest ? (
        <form action={submit} className="inline">
          <input type="hidden" name="id" value={props.alertId} />
          <div className="field grow">
            <label htmlFor={`retraining-comment-${props.alertId}`}>Note for the pipeline (optional)</label>
            <input id={`retraining-comment-${props.alertId}`} name="comment" maxLength={2000} placeholder="Drifted since the spring campaign" />
          </div>
          <button type="submit" className="btn" disabled={pending}>
            {pending ? 'Requesting…' : 'Request retraining'}
          </button>
          <FormMessage state={state} />
        </form>
      ) : (
        <p className="muted">No retraining was requested for this alert. Engineers can ask the environment&apos;s training pipeline for a new version here.</p>
      )}
    </section>
  );
}
