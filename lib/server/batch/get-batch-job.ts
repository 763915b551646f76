import 'server-only';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { db } from '@/lib/db';
import type { BatchJobKind } from '@/lib/generated/prisma/client';
import { conflict, notFound } from '@/lib/errors';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';
import { BATCH_FORMATS } from './formats';
import { serializeBatchJob } from './serialize-batch-job';
import { batchPath } from './storage';

const include = { version: { select: { version: true, model: { select: { name: true } } } } } as const;

export async function getBatchJob(id: string, kind?: BatchJobKind) {
  const job = await db().batchJob.findFirst({ where: { id, ...(kind ? { kind } : {}) }, include });
  if (!job) throw notFound(`${kind === 'one_off' ? 'Run' : 'Batch job'} ${id} not found.`);
  return serializeBatchJob(job);
}

/** A version's jobs (or one-off runs), newest first. */
export async function listBatchJobs(options: { model: string; version: number; kind: BatchJobKind; limit?: number }) {
  const version = await findVersionOrThrow(options.model, options.version);
  const jobs = await db().batchJob.findMany({
    where: { versionId: version.id, kind: options.kind },
    include,
    orderBy: { createdAt: 'desc' },
    take: options.limit ?? 50,
  });
  const now = Date.now();
  return { items: jobs.map((job) => serializeBatchJob(job, now)) };
}

/**
 * The output as committed so far: the input rows with the prediction columns (and an
 * `error` column/field for rows that could not be scored), in the input's format, streamed.
 * Only the committed length is sent, so a running job's download never ends mid-chunk.
 */
export async function openBatchOutput(id: string) {
  const job = await db().batchJob.findUnique({ where: { id }, include });
  if (!job) throw notFound(`Batch job ${id} not found.`);
  if (job.outputBytes === 0n) throw conflict(`Batch job ${id} has no output yet (${job.status}).`, 'no_output');
  const end = Number(job.outputBytes) - 1;
  const stream = Readable.toWeb(createReadStream(batchPath(job.outputKey), { start: 0, end })) as ReadableStream<Uint8Array>;
  const format = BATCH_FORMATS[job.format];
  return {
    stream,
    size: Number(job.outputBytes),
    contentType: format.name === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
    filename: `${job.version.model.name}-v${job.version.version}-${job.id.slice(0, 8)}-output.${format.name === 'csv' ? 'csv' : 'ndjson'}`,
  };
}
