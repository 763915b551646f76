import 'server-only';
import { AppError, badRequest, payloadTooLarge } from '@/lib/errors';
import { MAX_RECORDS_PER_BATCH } from '@/lib/validation/monitoring';

/** Largest body per call, compressed or not (a gzip body is also held to it once inflated). */
export const MAX_INGEST_BYTES = 10 * 1024 * 1024;
/** Largest reference upload (compressed or not; also after inflating). */
export const MAX_REFERENCE_BYTES = 50 * 1024 * 1024;

export interface IngestBody {
  /** The batch's fields other than `records` (JSON), or the first line (NDJSON). */
  header: unknown;
  records: unknown[];
}

/**
 * Reads a batch: JSON `{…header, records: […]}` or NDJSON (a header line, then one record per
 * line), optionally gzip-encoded. Sizes are enforced while streaming, on the wire and after
 * inflating, so neither a lying Content-Length nor a gzip bomb makes us buffer more than the cap.
 */
export async function readIngestBody(request: Request, options: { maxBytes?: number; maxRecords?: number } = {}): Promise<IngestBody> {
  const maxBytes = options.maxBytes ?? MAX_INGEST_BYTES;
  const maxRecords = options.maxRecords ?? MAX_RECORDS_PER_BATCH;
  const type = (request.headers.get('content-type') ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const ndjson = type === 'application/x-ndjson' || type === 'application/ndjson';
  if (!ndjson && !/^application\/([\w.+-]*\+)?json$/.test(type)) {
    throw new AppError(415, 'unsupported_media_type', `Send application/json or application/x-ndjson (got "${type}").`);
  }
  const text = await readBodyText(request, maxBytes);
  return ndjson ? parseNdjson(text, maxRecords) : parseJson(text, maxRecords);
}

/** A JSON body that may be gzip-encoded (reference uploads), capped at `maxBytes` before and after inflating. */
export async function readJsonPayload(request: Request, maxBytes: number): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (!/^application\/([\w.+-]*\+)?json$/.test(type)) {
    throw new AppError(415, 'unsupported_media_type', `Send JSON with Content-Type: application/json (got "${type}").`);
  }
  const text = await readBodyText(request, maxBytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`, 'malformed_json');
  }
}

async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new AppError(415, 'unsupported_media_type', `Content-Encoding "${encoding}" is not supported; send gzip or no encoding.`);
  }
  if (Number(request.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) throw badRequest('The request body is empty; send a batch of records.', 'empty_body');

  let stream: ReadableStream<Uint8Array> = capped(request.body, maxBytes);
  if (encoding === 'gzip') stream = capped(stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>), maxBytes);
  let text: string;
  try {
    text = await new Response(stream).text();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw badRequest(`The gzip body could not be inflated: ${(error as Error).message}`, 'malformed_gzip');
  }
  return text;
}

function capped(source: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let size = 0;
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) controller.error(tooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

function parseJson(text: string, maxRecords: number): IngestBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`, 'malformed_json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The body must be a JSON object with a "records" array.', 'bad_request');
  }
  const { records, ...header } = body as { records?: unknown };
  if (!Array.isArray(records)) throw new AppError(400, 'invalid_records', 'records: send an array of records.', { records: ['Send an array of records.'] });
  if (records.length > maxRecords) throw tooManyRecords(records.length, maxRecords);
  return { header, records };
}

function parseNdjson(text: string, maxRecords: number): IngestBody {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw badRequest('The request body is empty; send a header line and records.', 'empty_body');
  if (lines.length - 1 > maxRecords) throw tooManyRecords(lines.length - 1, maxRecords);
  let header: unknown;
  try {
    header = JSON.parse(lines[0]!);
  } catch (error) {
    throw new AppError(400, 'invalid_records', `The header line is not valid JSON: ${(error as Error).message}`, {
      header: ['Not valid JSON.'],
    });
  }
  // A record's index is its position among the record lines (line 2 of the body is record 0).
  const records = lines.slice(1).map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return new MalformedLine(i);
    }
  });
  return { header, records };
}

/** A record line that is not JSON: reported with the other invalid records, by index. */
export class MalformedLine {
  constructor(readonly index: number) {}
}

function tooLarge(maxBytes: number) {
  return payloadTooLarge(`The request body is larger than ${maxBytes / 1024 / 1024} MB (after inflating, for gzip); split the batch.`);
}

function tooManyRecords(count: number, maxRecords: number) {
  return payloadTooLarge(`The batch has ${count} records; send at most ${maxRecords} per call.`);
}
