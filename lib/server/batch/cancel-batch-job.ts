import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { lockBatchJob, transitionBatchJob } from './batch-machine';

/**
 * Cancels a queued or running job on its locked row: a running worker sees it at its next
 * chunk commit and stops (the chunks committed so far stay in the output). Of two
 * concurrent cancels one succeeds and the other gets 409 `invalid_transition`.
 */
export async function cancelBatchJob(ctx: RequestContext, id: string) {
  return db().$transaction(async (tx) => {
    const job = await lockBatchJob(tx, id);
    if (!job) throw notFound(`Batch job ${id} not found.`);
    const cancelled = await transitionBatchJob(tx, job, 'cancelled', { finishedAt: new Date() });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: job.kind === 'one_off' ? 'run.cancel' : 'batch_job.cancel',
      targetType: 'batch_job',
      targetId: id,
      before: { status: job.status, rowsDone: job.rowsDone },
      after: { status: 'cancelled' },
      requestId: ctx.requestId,
    });
    return cancelled;
  });
}
