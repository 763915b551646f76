import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AppError, badRequest, payloadTooLarge, unprocessable } from '@/lib/errors';
import type { BatchInputFormat } from './formats';
import { RecordSplitter } from './read-records';
import { batchRoot, maxBatchInputBytes } from './storage';

export interface StagedInput {
  /** Relative to the batch directory. */
  key: string;
  sha256: string;
  bytes: number;
  rows: number;
}

/**
 * Streams an input to the batch directory, inflating gzip, hashing, measuring and counting
 * records as it goes — never holding the file in memory. The first record is checked as
 * soon as it arrives, so a body that is not the declared format is refused (422) after its
 * first line, and one over BATCH_MAX_INPUT_BYTES (after inflating) as soon as it passes it
 * (413). The sha256 is that of the stored, inflated bytes. Nothing is left behind on refusal.
 */
export async function stageInput(
  source: ReadableStream<Uint8Array> | Readable,
  options: { format: BatchInputFormat; gzip: boolean; jobId: string },
): Promise<StagedInput> {
  const limit = maxBatchInputBytes();
  const key = path.join(options.jobId, `input.${options.format.name}`);
  const file = path.join(batchRoot(), key);
  await mkdir(path.dirname(file), { recursive: true });
  const hash = createHash('sha256');
  const splitter = new RecordSplitter(options.format.quoted);
  let bytes = 0;
  let records = 0;
  let checked = false;
  const check = (text: string) => {
    checked = true;
    const problem = options.format.checkFirst(text);
    if (problem) throw unprocessable(problem, { body: [problem] }, `not_${options.format.name}`);
  };
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limit) {
        callback(payloadTooLarge(`The input is larger than BATCH_MAX_INPUT_BYTES (${limit} bytes${options.gzip ? ', counted after inflating gzip' : ''}).`));
        return;
      }
      try {
        const found = splitter.push(chunk);
        if (!checked && found.length) check(found[0]!.text);
        records += found.length;
      } catch (error) {
        callback(error as Error);
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      try {
        const found = splitter.end();
        if (!checked && found.length) check(found[0]!.text);
        records += found.length;
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  const input = source instanceof Readable ? source : drainingReadable(source);
  try {
    const stages: NodeJS.ReadWriteStream[] = options.gzip ? [createGunzip(), meter] : [meter];
    await pipeline(input, ...(stages as [Transform]), createWriteStream(file));
  } catch (error) {
    await rm(path.dirname(file), { recursive: true, force: true });
    if (error instanceof AppError) throw error;
    if ((error as { code?: string }).code?.startsWith('Z_')) throw badRequest('The body is not valid gzip (Content-Encoding: gzip).', 'bad_gzip');
    throw error;
  }
  const rows = records - (options.format.hasHeader ? 1 : 0);
  if (rows <= 0) {
    await rm(path.dirname(file), { recursive: true, force: true });
    throw unprocessable(
      options.format.hasHeader ? 'The input has no data rows after its header row.' : 'The input has no rows.',
      { body: ['No rows to score.'] },
      'empty_input',
    );
  }
  return { key, sha256: hash.digest('hex'), bytes, rows };
}

/**
 * A request body as a Node stream that, when the upload is refused part-way, discards the
 * rest instead of cancelling the body: Next.js's request stream throws an uncaught
 * ERR_INVALID_STATE when the source ends after its consumer cancelled it. The refusal is
 * answered at once; the remaining bytes are read and dropped, never kept.
 */
function drainingReadable(body: ReadableStream<Uint8Array>): Readable {
  const reader = body.getReader();
  return new Readable({
    async read() {
      try {
        const { done, value } = await reader.read();
        this.push(done ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      } catch (error) {
        this.destroy(error as Error);
      }
    },
    destroy(error, callback) {
      void (async () => {
        try {
          for (;;) if ((await reader.read()).done) break;
        } catch {
          // The client went away: nothing more to drop.
        }
      })();
      callback(error);
    },
  });
}

export function newJobId(): string {
  return randomUUID();
}
