import 'server-only';
import type { Tx } from '@/lib/db';
import type { BatchJobStatus, Prisma } from '@/lib/generated/prisma/client';
import { conflict } from '@/lib/errors';

/**
 * The batch job lifecycle — the only place that decides which status may follow which.
 *
 *   queued → running → succeeded | failed | cancelled
 *      ↓
 *   cancelled, failed
 *
 * Progress within `running` (one committed chunk) is not a transition; it is written by
 * commitChunk on the locked row, which refuses once the job has left `running`.
 */
export const BATCH_TRANSITIONS: Record<BatchJobStatus, readonly BatchJobStatus[]> = {
  queued: ['running', 'cancelled', 'failed'],
  running: ['succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export const FINISHED_STATUSES: readonly BatchJobStatus[] = ['succeeded', 'failed', 'cancelled'];

export function canTransition(from: BatchJobStatus, to: BatchJobStatus): boolean {
  return BATCH_TRANSITIONS[from].includes(to);
}

export function assertTransition(job: { status: BatchJobStatus }, to: BatchJobStatus): void {
  if (!canTransition(job.status, to)) {
    throw conflict(`This batch job is already ${job.status}; it cannot become ${to}.`, 'invalid_transition');
  }
}

/** Locks a batch job row for the rest of the transaction and returns it (or null). */
export async function lockBatchJob(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT id FROM batch_jobs WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.batchJob.findUnique({ where: { id } });
}

/** Applies a transition to a job locked with lockBatchJob; a stale status fails loudly. */
export async function transitionBatchJob(
  tx: Tx,
  job: { id: string; status: BatchJobStatus },
  to: BatchJobStatus,
  data: Omit<Prisma.BatchJobUncheckedUpdateManyInput, 'status'> = {},
) {
  assertTransition(job, to);
  const { count } = await tx.batchJob.updateMany({ where: { id: job.id, status: job.status }, data: { ...data, status: to } });
  if (count === 0) throw conflict('This batch job changed while you were acting on it; reload and try again.', 'concurrent_change');
  return tx.batchJob.findUniqueOrThrow({ where: { id: job.id } });
}
