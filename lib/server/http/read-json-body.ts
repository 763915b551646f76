import 'server-only';
import { AppError, badRequest, payloadTooLarge } from '@/lib/errors';

export const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads a JSON body with a size cap enforced while streaming (a lying or missing
 * Content-Length cannot make us buffer more than the cap).
 */
export async function readJsonBody(request: Request, options: { limit?: number; optional?: boolean } = {}): Promise<unknown> {
  const limit = options.limit ?? MAX_JSON_BODY_BYTES;
  const type = request.headers.get('content-type');
  if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new AppError(415, 'unsupported_media_type', `Send JSON with Content-Type: application/json (got "${type}").`);
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  if (!request.body && options.optional) return undefined;
  if (!request.body) throw badRequest('The request body is empty; send a JSON object.', 'empty_body');

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '' && options.optional) return undefined;
  if (text.trim() === '') throw badRequest('The request body is empty; send a JSON object.', 'empty_body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`, 'malformed_json');
  }
}

function tooLarge(limit: number) {
  return payloadTooLarge(`The request body is larger than ${limit / 1024 / 1024} MB.`);
}
