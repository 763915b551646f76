import 'server-only';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { db } from '@/lib/db';
import type { BatchJobKind } from '@/lib/generated/prisma/client';
import { AppError, conflict, notFound, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';
import { BATCH_FORMATS, formatForContentType, type BatchFormatName, type BatchInputFormat } from './formats';
import { newJobId, stageInput } from './stage-input';
import { batchRoot } from './storage';

/** Monitoring environment used when a job names none, if it exists (see docs/batch.md). */
export const DEFAULT_BATCH_ENVIRONMENT = 'batch';

export interface BatchInput {
  /** An uploaded body, or a stream opened from an input URI. */
  stream: ReadableStream<Uint8Array> | Readable | null;
  format: BatchInputFormat;
  gzip: boolean;
  /** "upload", or the URI the input was read from. */
  source: string;
}

/** The format and encoding an upload declares; 415 before any byte is read when neither fits. */
export function uploadInput(headers: Headers, body: ReadableStream<Uint8Array> | null): BatchInput {
  const format = formatForContentType(headers.get('content-type'));
  if (!format) {
    throw new AppError(
      415,
      'unsupported_media_type',
      `Send the input as text/csv (with a header row) or application/x-ndjson (got "${headers.get('content-type') ?? 'no Content-Type'}").`,
    );
  }
  const encoding = (headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new AppError(415, 'unsupported_media_type', `Content-Encoding "${encoding}" is not supported; send the file as is or gzip it.`);
  }
  return { stream: body, format, gzip: encoding === 'gzip', source: 'upload' };
}

export function formatNamed(name: BatchFormatName): BatchInputFormat {
  return BATCH_FORMATS[name];
}

/**
 * Stores the input (streamed, checked, counted) and creates the job with its `batch-run`
 * job in one transaction, audited last. The version must hold an ONNX artifact in the
 * artifact store. Returns the job row.
 */
export async function createBatchJob(
  ctx: RequestContext,
  options: {
    model: string;
    version: number;
    input: BatchInput;
    kind?: BatchJobKind;
    environment?: string | undefined;
    labelColumn?: string | undefined;
    scheduleId?: string | undefined;
  },
) {
  const version = await findVersionOrThrow(options.model, options.version);
  const label = `${options.model} v${options.version}`;
  if (version.format !== 'onnx') throw unprocessable(`${label} is ${version.format ? `a ${version.format}` : 'not an ONNX'} model; batch scoring runs ONNX models.`, undefined, 'not_onnx');
  if (!version.artifactKey) throw conflict(`${label}'s artifact is not stored in ModelDeck; upload it first.`, 'no_stored_artifact');
  if (version.status === 'archived') throw conflict(`${label} is archived.`, 'version_archived');
  let environment: string | null = null;
  if (options.environment !== undefined) {
    const found = await db().environment.findUnique({ where: { name: options.environment } });
    if (!found) throw notFound(`Environment "${options.environment}" not found; predictions are reported to an existing environment.`);
    environment = found.name;
  } else {
    environment = (await db().environment.findUnique({ where: { name: DEFAULT_BATCH_ENVIRONMENT } }))?.name ?? null;
  }
  if (!options.input.stream) throw new AppError(400, 'empty_body', 'Send the input file as the request body.');

  const id = newJobId();
  const staged = await stageInput(options.input.stream, { format: options.input.format, gzip: options.input.gzip, jobId: id });
  const kind = options.kind ?? 'batch';
  try {
    return await db().$transaction(async (tx) => {
      const job = await tx.batchJob.create({
        data: {
          id,
          kind,
          versionId: version.id,
          format: options.input.format.name,
          source: options.input.source,
          inputKey: staged.key,
          outputKey: path.join(id, `output.${options.input.format.name}`),
          inputSha256: staged.sha256,
          inputBytes: BigInt(staged.bytes),
          rowsTotal: staged.rows,
          environment,
          labelColumn: kind === 'one_off' ? (options.labelColumn ?? 'label') : null,
          scheduleId: options.scheduleId ?? null,
          createdById: ctx.actor.id,
          createdByEmail: ctx.actor.email,
        },
      });
      await enqueue(tx, QUEUES.runBatchJob, { jobId: id });
      await recordAudit(tx, {
        actor: ctx.actor,
        action: kind === 'one_off' ? 'run.create' : 'batch_job.create',
        targetType: 'batch_job',
        targetId: id,
        after: { model: options.model, version: options.version, format: job.format, source: job.source, rows: staged.rows, sha256: staged.sha256, environment },
        requestId: ctx.requestId,
      });
      return job;
    });
  } catch (error) {
    await rm(path.join(batchRoot(), id), { recursive: true, force: true });
    throw error;
  }
}
