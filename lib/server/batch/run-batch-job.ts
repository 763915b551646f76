import 'server-only';
import { open, type FileHandle } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { db } from '@/lib/db';
import { databaseUrl } from '@/lib/env';
import type { BatchJob } from '@/lib/generated/prisma/client';
import type { RoleName } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { logger } from '@/lib/server/logger';
import { ingestPredictions } from '@/lib/server/monitoring/ingest-predictions';
import { MAX_RECORDS_PER_BATCH } from '@/lib/validation/monitoring';
import { FINISHED_STATUSES, lockBatchJob, transitionBatchJob } from './batch-machine';
import { BATCH_FORMATS, type BatchInputFormat } from './formats';
import { computeRunMetrics } from './label-metrics';
import { loadBatchModel, UnscorableModelError, type BatchModel } from './load-batch-model';
import { readRecordBatches, readRecords, type SplitRecord } from './read-records';
import { batchChunkRows, batchCommitMs, batchPath } from './storage';

/** Row errors kept on the job; the rest are only counted (and written to the output). */
export const MAX_REPORTED_ERRORS = 100;

interface RowError {
  row: number;
  reason: string;
}

/**
 * The `batch-run` job. Reads the stored input from the job's committed byte offset, scores
 * it chunk by chunk with the model server's session code, appends each chunk's output at
 * the committed output length, reports the predictions to monitoring (record ids
 * `<jobId>:<row>`, so a redone chunk stores nothing twice), and commits the chunk's progress
 * on the locked row. A job killed mid-way is picked up again (pg-boss retry, or
 * resumeBatchJobs at worker start) and continues after its last committed chunk; a
 * cancellation is seen at the next commit. Running it twice is safe.
 */
export async function runBatchJob(jobId: string): Promise<void> {
  // One runner per job across processes: a resumed job whose first runner still lives
  // (resumeBatchJobs cannot tell) leaves the work to it. The lock is the connection's, so
  // a killed runner's lock goes with its connection.
  const lock = new pg.Client({ connectionString: databaseUrl() });
  await lock.connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [BATCH_RUNNER_LOCK, jobId]);
    if (!rows[0]?.ok) return;
    await runLocked(jobId);
  } finally {
    await lock.end();
  }
}

const BATCH_RUNNER_LOCK = 7_246_100;

async function runLocked(jobId: string): Promise<void> {
  const job = await db().$transaction(async (tx) => {
    const locked = await lockBatchJob(tx, jobId);
    if (!locked || FINISHED_STATUSES.includes(locked.status)) return null;
    if (locked.status === 'queued') return transitionBatchJob(tx, locked, 'running', { startedAt: new Date(), attempts: { increment: 1 } });
    return tx.batchJob.update({ where: { id: jobId }, data: { attempts: { increment: 1 } } });
  });
  if (!job) return;

  const version = await db().modelVersion.findUniqueOrThrow({ where: { id: job.versionId }, include: { model: true } });
  let model: BatchModel;
  try {
    model = await loadBatchModel({ ...version, task: version.model.task });
  } catch (error) {
    if (error instanceof UnscorableModelError) return void (await failBatchJob(jobId, error.message));
    throw error;
  }
  try {
    const outcome = await scoreRemaining(job, model, { model: version.model.name, version: version.version });
    if (outcome === 'stopped') return;
    const metrics = job.kind === 'one_off' ? await computeRunMetrics(job, model, version.model.task) : null;
    await db().$transaction(async (tx) => {
      const locked = await lockBatchJob(tx, jobId);
      if (!locked || locked.status !== 'running') return;
      await transitionBatchJob(tx, locked, 'succeeded', {
        finishedAt: new Date(),
        rowsTotal: locked.rowsDone,
        ...(metrics ? { metrics } : {}),
      });
      await recordAudit(tx, {
        actor: null,
        action: job.kind === 'one_off' ? 'run.complete' : 'batch_job.complete',
        targetType: 'batch_job',
        targetId: jobId,
        after: { rows: locked.rowsDone, failed: locked.rowsFailed, ...(metrics ? { metrics } : {}) },
      });
    });
  } finally {
    await model.close();
  }
}

interface Progress {
  rowsDone: number;
  outputBytes: number;
}

/** Rows scored, formatted and waiting to be written and committed together as one chunk. */
interface PreparedChunk {
  rows: number;
  /** Byte offset in the input just past the chunk's last record. */
  end: number;
  errors: RowError[];
  parts: Buffer[];
  bytes: number;
  /** Scored rows for monitoring: row number, features, reported prediction. */
  reported: Array<{ row: number; features: number[]; prediction: number | string }>;
}

/** Rows per session.run: large enough to amortise the call, small enough to keep memory flat. */
const SCORE_ROWS = 5_000;

async function scoreRemaining(job: BatchJob, model: BatchModel, target: { model: string; version: number }): Promise<'done' | 'stopped'> {
  const format = BATCH_FORMATS[job.format];
  const inputFile = batchPath(job.inputKey);
  const outputFile = batchPath(job.outputKey);
  let header: string[] = [];
  let start = Number(job.inputOffset);
  if (format.hasHeader) {
    const first = await firstRecord(inputFile, format);
    header = format.parseHeader(first.text);
    if (start === 0) start = first.end;
  }
  await mkdir(path.dirname(outputFile), { recursive: true });
  const output = await open(outputFile, 'a+').then(async (handle) => {
    await handle.close();
    return open(outputFile, 'r+');
  });
  // The previous chunk's write and commit run while the next rows are parsed and scored;
  // they stay in order, because each waits for the one before.
  let committing: Promise<Progress | null> = Promise.resolve({ rowsDone: job.rowsDone, outputBytes: Number(job.outputBytes) });
  try {
    // Bytes past the committed length belong to a chunk whose commit never happened.
    await output.truncate(Number(job.outputBytes));
    const actor = await creatorOf(job);
    const chunkRows = batchChunkRows();
    const commitMs = batchCommitMs();
    const scoreRows = Math.min(SCORE_ROWS, chunkRows);
    const scratch = new Float64Array(scoreRows * model.features.length);
    // Where the next prepared row lands: committed progress plus everything prepared since.
    const cursor: Progress = { rowsDone: job.rowsDone, outputBytes: Number(job.outputBytes) };
    let openChunk = null as PreparedChunk | null;
    let openedAt = 0;
    let pending: SplitRecord[] = [];
    const close = async (): Promise<boolean> => {
      const chunk = openChunk!;
      openChunk = null;
      const previous = await committing;
      if (!previous) return false;
      committing = commitChunk(job, chunk, previous, output, actor, { ...target, features: model.features });
      // A failed commit fails the job attempt at the next await; keep it from being unhandled meanwhile.
      committing.catch(() => undefined);
      return true;
    };
    const score = async (): Promise<boolean> => {
      if (!openChunk) {
        openChunk = { rows: 0, end: 0, errors: [], parts: [], bytes: 0, reported: [] };
        openedAt = performance.now();
      }
      await prepareRows(model, format, header, pending, cursor, scratch, Boolean(job.environment), openChunk);
      pending = [];
      // A chunk closes at BATCH_CHUNK_ROWS rows or after BATCH_COMMIT_MS, whichever comes first.
      return openChunk.rows >= chunkRows || performance.now() - openedAt >= commitMs ? close() : true;
    };
    for await (const batch of readRecordBatches(inputFile, format.quoted, start)) {
      for (const record of batch) {
        pending.push(record);
        if ((pending.length >= scoreRows || (openChunk && openChunk.rows + pending.length >= chunkRows)) && !(await score())) return 'stopped';
      }
    }
    if (pending.length > 0 && !(await score())) return 'stopped';
    if (openChunk && !(await close())) return 'stopped';
    return (await committing) ? 'done' : 'stopped';
  } finally {
    await committing.catch(() => undefined);
    await output.close();
  }
}

async function firstRecord(file: string, format: BatchInputFormat): Promise<SplitRecord> {
  for await (const record of readRecords(file, format.quoted, 0)) return record;
  throw new AppError(422, 'empty_input', 'The input is empty.');
}

async function creatorOf(job: BatchJob) {
  const user = job.createdById ? await db().user.findUnique({ where: { id: job.createdById } }) : null;
  return user ? { id: user.id, email: user.email, name: user.name, roles: user.roles as RoleName[] } : null;
}

/** Parses, checks and scores `records` (one session.run) and appends their output to `chunk`; no I/O. */
async function prepareRows(
  model: BatchModel,
  format: BatchInputFormat,
  header: string[],
  records: SplitRecord[],
  at: Progress,
  scratch: Float64Array,
  reporting: boolean,
  chunk: PreparedChunk,
): Promise<void> {
  const width = model.features.length;
  const rowErrors = new Map<number, string>();
  const scoredIndex: number[] = [];
  const readRow = model.rowReader(header);
  for (let index = 0; index < records.length; index++) {
    const parsed = format.parseRow(records[index]!.text, header);
    const problem = 'error' in parsed ? parsed.error : readRow(parsed, scratch, scoredIndex.length * width);
    if (problem !== null) {
      rowErrors.set(index, problem);
      chunk.errors.push({ row: at.rowsDone + index + 1, reason: problem });
    } else scoredIndex.push(index);
  }
  const scored = scoredIndex.length > 0 ? await model.score(scratch, scoredIndex.length) : { outputs: [], reported: [] };
  if (reporting) {
    scoredIndex.forEach((index, i) =>
      chunk.reported.push({ row: at.rowsDone + index + 1, features: Array.from(scratch.subarray(i * width, (i + 1) * width)), prediction: scored.reported[i] ?? 0 }),
    );
  }
  // One cells array, refilled per scored row, rather than an array per row.
  const cells = new Array<number | string>(model.predictionColumns.length);
  const parts: string[] = at.outputBytes === 0 ? [format.writeHeader(header, model.predictionColumns)] : [];
  let next = 0;
  for (let index = 0; index < records.length; index++) {
    const problem = rowErrors.get(index);
    if (problem !== undefined) {
      parts.push(format.writeRow(records[index]!.text, null, problem, model.predictionColumns));
      continue;
    }
    let c = 0;
    for (const output of scored.outputs) {
      for (let j = 0; j < output.width; j++) cells[c++] = (output.data[next * output.width + j] ?? '') as number | string;
    }
    next += 1;
    parts.push(format.writeRow(records[index]!.text, cells, null, model.predictionColumns));
  }
  const bytes = Buffer.from(parts.join(''), 'utf8');
  chunk.parts.push(bytes);
  chunk.bytes += bytes.length;
  chunk.rows += records.length;
  chunk.end = records[records.length - 1]!.end;
  at.rowsDone += records.length;
  at.outputBytes += bytes.length;
}

/**
 * Writes a prepared chunk at the committed output length, syncs it, reports it to
 * monitoring and commits its progress on the locked row; null when the job is no longer
 * running (cancelled). The progress commit does not wait for its WAL flush
 * (synchronous_commit off): one lost after a database crash only makes the chunk run again,
 * because a resumed run truncates the output to the committed length and monitoring ids are
 * idempotent — while the output bytes are synced before the commit can name them.
 */
async function commitChunk(
  job: BatchJob,
  chunk: PreparedChunk,
  at: Progress,
  output: FileHandle,
  actor: Awaited<ReturnType<typeof creatorOf>>,
  target: { model: string; version: number; features: string[] },
): Promise<Progress | null> {
  // The output write and the monitoring reports are independent; both finish before the
  // commit that names the chunk. One write and one fdatasync per chunk.
  const written = output.writev(chunk.parts, at.outputBytes).then(() => output.datasync());
  const reported = job.environment && actor && chunk.reported.length > 0 ? reportChunk(job, job.environment, chunk, actor, target) : Promise.resolve();
  for (const result of await Promise.allSettled([written, reported])) if (result.status === 'rejected') throw result.reason;

  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
    const locked = await lockBatchJob(tx, job.id);
    if (!locked || locked.status !== 'running') return null;
    const kept = locked.errors as unknown as RowError[];
    await tx.batchJob.update({
      where: { id: job.id },
      data: {
        rowsDone: { increment: chunk.rows },
        rowsFailed: { increment: chunk.errors.length },
        chunksDone: { increment: 1 },
        inputOffset: BigInt(chunk.end),
        outputBytes: BigInt(at.outputBytes + chunk.bytes),
        ...(chunk.errors.length > 0 && kept.length < MAX_REPORTED_ERRORS
          ? { errors: [...kept, ...chunk.errors].slice(0, MAX_REPORTED_ERRORS) as object[] }
          : {}),
      },
    });
    return { rowsDone: at.rowsDone + chunk.rows, outputBytes: at.outputBytes + chunk.bytes };
  });
}

/** Ingestion batches of one chunk in flight at once: the database inserts while the next batch is validated. */
function reportConcurrency(): number {
  const raw = Number(process.env.BATCH_MONITORING_CONCURRENCY ?? 2);
  return Number.isInteger(raw) && raw >= 1 && raw <= 8 ? raw : 2;
}

/**
 * Reports a chunk's predictions through the ingestion use case, split at the ingestion API's
 * batch limit, a few batches at a time (each is its own transaction; record ids make a redone
 * chunk store nothing twice).
 */
async function reportChunk(
  job: BatchJob,
  environment: string,
  chunk: PreparedChunk,
  actor: NonNullable<Awaited<ReturnType<typeof creatorOf>>>,
  target: { model: string; version: number; features: string[] },
): Promise<void> {
  const features = (values: number[]) => Object.fromEntries(values.map((value, j) => [target.features[j]!, value]));
  let from = 0;
  const worker = async () => {
    while (from < chunk.reported.length) {
      const slice = chunk.reported.slice(from, (from += MAX_RECORDS_PER_BATCH));
      await ingestPredictions(
        { actor, requestId: `batch-${job.id}` },
        {
          header: { model: target.model, environment, version: target.version },
          records: slice.map((r) => ({ id: `${job.id}:${r.row}`, features: features(r.features), prediction: r.prediction })),
        },
      );
    }
  };
  const workers = Array.from({ length: Math.min(reportConcurrency(), Math.ceil(chunk.reported.length / MAX_RECORDS_PER_BATCH)) }, worker);
  // Every batch settles before the chunk's fate is decided, so none is left running behind a failure.
  const results = await Promise.allSettled(workers);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The job's final failure (last retry, or a model it cannot score), audited. */
export async function failBatchJob(jobId: string, reason: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const locked = await lockBatchJob(tx, jobId);
    if (!locked || FINISHED_STATUSES.includes(locked.status)) return;
    await transitionBatchJob(tx, locked, 'failed', { finishedAt: new Date(), failureReason: reason.slice(0, 2000) });
    await recordAudit(tx, { actor: null, action: locked.kind === 'one_off' ? 'run.fail' : 'batch_job.fail', targetType: 'batch_job', targetId: jobId, after: { reason } });
  });
  logger().warn({ jobId, reason }, 'batch job failed');
}
