/**
 * Fetching a version's artifact into the state directory: streamed to a temp file while
 * hashing, and only renamed into the cache when the sha256 matches what the dashboard
 * registered. Nothing unverified is ever handed to onnxruntime.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

/** The artifact could not be read from its URL (answered 502: the same request may work later). */
export class ArtifactUnreachableError extends Error {}
/**
 * The artifact's server answered 4xx (an expired or tampered presigned URL, a missing object):
 * answered 422, since sending the same URL again cannot succeed.
 */
export class ArtifactRefusedError extends Error {}
/** The bytes are not the registered ones (answered 422). */
export class ArtifactMismatchError extends Error {}

async function openSource(artifactUrl: string, headers: Record<string, string>): Promise<Readable> {
  let url: URL;
  try {
    url = new URL(artifactUrl);
  } catch {
    throw new ArtifactUnreachableError(`artifactUrl ${JSON.stringify(artifactUrl)} is not a URL.`);
  }
  if (url.protocol === 'file:') {
    const stream = createReadStream(fileURLToPath(url));
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) => reject(new ArtifactUnreachableError(`cannot read ${url.href}: ${error.message}`)));
    });
    return stream;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ArtifactUnreachableError(`unsupported artifact URL scheme ${url.protocol} (use file:, http: or https:).`);
  }
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new ArtifactUnreachableError(`cannot fetch ${url.origin}${url.pathname}: ${cause}`);
  }
  if (!response.ok || !response.body) {
    // origin and path only: a presigned URL's query is a credential.
    const message = `fetching ${url.origin}${url.pathname} answered HTTP ${response.status}${await s3ErrorSummary(response)}.`;
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
    throw permanent ? new ArtifactRefusedError(message) : new ArtifactUnreachableError(message);
  }
  return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
}

/** ` (AccessDenied: Request has expired)` from an S3 error document, or nothing for other bodies. */
async function s3ErrorSummary(response: Response): Promise<string> {
  let text = '';
  try {
    text = response.body ? (await response.text()).slice(0, 65_536) : '';
  } catch {
    return '';
  }
  const tag = (name: string) => new RegExp(`<${name}>([^<]{1,300})</${name}>`).exec(text)?.[1];
  const code = tag('Code');
  const message = tag('Message');
  return code ? ` (${code}${message ? `: ${message}` : ''})` : '';
}

/** Downloads `artifactUrl` to `destination` (a temp path) and checks its sha256; removes the file on any failure. */
export async function downloadVerified(options: {
  artifactUrl: string;
  headers?: Record<string, string>;
  expectedSha256: string;
  destination: string;
}): Promise<void> {
  const source = await openSource(options.artifactUrl, options.headers ?? {});
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, hashing, createWriteStream(options.destination));
  } catch (error) {
    await rm(options.destination, { force: true });
    throw new ArtifactUnreachableError(`reading the artifact failed: ${(error as Error).message}`);
  }
  const actual = hash.digest('hex');
  if (actual !== options.expectedSha256) {
    await rm(options.destination, { force: true });
    throw new ArtifactMismatchError(`sha256 mismatch: expected ${options.expectedSha256}, got ${actual}`);
  }
}

/** The sha256 of a cached file (re-verified at start, since the disk could have changed under us). */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
