import 'server-only';
import type { BatchJob } from '@/lib/generated/prisma/client';
import type { BatchJobView } from '@/lib/validation/batch';

type Row = BatchJob & { version: { version: number; model: { name: string } } };

/** The API's view of a job, with its throughput so far and the time left at that rate. */
export function serializeBatchJob(job: Row, now = Date.now()): BatchJobView {
  const elapsed = job.startedAt ? ((job.finishedAt?.getTime() ?? now) - job.startedAt.getTime()) / 1000 : 0;
  const rowsPerSecond = elapsed > 0 && job.rowsDone > 0 ? job.rowsDone / elapsed : null;
  const left = Math.max(0, job.rowsTotal - job.rowsDone);
  return {
    id: job.id,
    kind: job.kind,
    model: job.version.model.name,
    version: job.version.version,
    status: job.status,
    format: job.format,
    source: job.source,
    environment: job.environment,
    inputSha256: job.inputSha256,
    inputBytes: Number(job.inputBytes),
    rowsTotal: job.rowsTotal,
    rowsDone: job.rowsDone,
    rowsFailed: job.rowsFailed,
    errors: job.errors as BatchJobView['errors'],
    rowsPerSecond,
    etaSeconds: job.status === 'running' && rowsPerSecond ? left / rowsPerSecond : null,
    failureReason: job.failureReason,
    labelColumn: job.labelColumn,
    metrics: (job.metrics as Record<string, unknown> | null) ?? null,
    outputUrl: job.outputBytes > 0n ? `/api/v1/batch-jobs/${job.id}/output` : null,
    createdBy: job.createdByEmail,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
