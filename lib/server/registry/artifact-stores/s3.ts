import 'server-only';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { AppError, notFound } from '@/lib/errors';
import { logger } from '@/lib/server/logger';
import type { ArtifactStore } from '../artifact-store';
import { EMPTY_PAYLOAD_SHA256, encodeKeyPath, presignV4, signV4, uriEncode, type AwsCredentials } from './s3-signature';
import { maxArtifactBytes, stageToFile } from './staging';

/**
 * Artifacts as objects in an S3-compatible bucket (AWS S3, MinIO, …), addressed as
 * S3_PREFIX/<model>/<version>/<sha256>. Uploads are staged locally first (hashed and
 * size-checked like the local store), then sent with one signed PUT whose
 * x-amz-content-sha256 is the hash already computed, so the server verifies the bytes
 * it receives without ModelDeck reading the file twice. One PUT takes up to 5 GiB,
 * which is the default ARTIFACT_MAX_BYTES.
 */
export const s3ArtifactStore: ArtifactStore = {
  kind: 's3',

  async stage(body, limit = maxArtifactBytes()) {
    // Settings are checked before reading the body: a misconfigured store should not
    // make the client send gigabytes first.
    s3Settings();
    const staged = await stageToFile(body, limit);
    return {
      sha256: staged.sha256,
      size: staged.size,
      async commit(key) {
        try {
          const settings = s3Settings();
          const response = await send(settings, 'PUT', key, staged);
          if (!isSuccess(response)) throw await refusal(settings, response, `store ${key}`);
          await drain(response);
          return key;
        } finally {
          await rm(staged.file, { force: true });
        }
      },
      discard: () => rm(staged.file, { force: true }),
    };
  },

  async open(key) {
    const settings = s3Settings();
    const response = await send(settings, 'GET', key);
    if (response.statusCode === 404) {
      const refused = await readError(response);
      if (refused.code !== 'NoSuchBucket') {
        throw notFound(`The stored artifact ${key} is missing from S3 bucket ${settings.bucket}; it was probably deleted outside ModelDeck.`);
      }
      throw describeRefusal(settings, response, refused, `read ${key}`);
    }
    if (!isSuccess(response)) throw await refusal(settings, response, `read ${key}`);
    const size = Number(response.headers['content-length']);
    if (!Number.isSafeInteger(size)) {
      response.destroy();
      throw new AppError(502, 'artifact_store_error', `The S3 artifact store sent ${key} without a Content-Length.`);
    }
    // The body may wait on a slow downloader for longer than the idle timeout allows:
    // from here the client's own connection decides how long the transfer may take.
    response.socket.setTimeout(0);
    return { stream: Readable.toWeb(response) as ReadableStream<Uint8Array>, size };
  },

  async remove(key) {
    const settings = s3Settings();
    const response = await send(settings, 'DELETE', key);
    if (response.statusCode === 404) {
      const refused = await readError(response);
      if (refused.code === 'NoSuchKey') return;
      throw describeRefusal(settings, response, refused, `delete ${key}`);
    }
    if (!isSuccess(response)) throw await refusal(settings, response, `delete ${key}`);
    await drain(response);
  },
};

export interface S3Settings {
  bucket: string;
  /** Without leading or trailing slashes; empty for none. */
  prefix: string;
  endpoint: URL;
  region: string;
  credentials: AwsCredentials;
  forcePathStyle: boolean;
}

/**
 * The S3_* variables, read at each use (not at import, so `next build` and tests that set
 * them late both work). Every problem is reported at once, each naming its variable.
 */
export function s3Settings(source: Record<string, string | undefined> = process.env): S3Settings {
  const problems: string[] = [];
  const value = (name: string) => source[name]?.trim() || undefined;

  const bucket = value('S3_BUCKET');
  if (!bucket) {
    problems.push('S3_BUCKET is not set: with ARTIFACT_STORE=s3, set it to the name of an existing bucket.');
  } else if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(`S3_BUCKET must be a bucket name (3–63 lower-case letters, digits, dots and hyphens), not \`${bucket}\`.`);
  }

  const region = value('S3_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9-]+$/.test(region)) problems.push(`S3_REGION must be a region name such as us-east-1, not \`${region}\`.`);

  const rawEndpoint = value('S3_ENDPOINT');
  let endpoint = new URL(`https://s3.${/^[a-z0-9-]+$/.test(region) ? region : 'us-east-1'}.amazonaws.com`);
  if (rawEndpoint) {
    const parsed = URL.canParse(rawEndpoint) ? new URL(rawEndpoint) : null;
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.pathname !== '/' || parsed.search || parsed.username) {
      problems.push(`S3_ENDPOINT must be an http:// or https:// URL with a host and optional port only, e.g. http://127.0.0.1:9000, not \`${rawEndpoint}\`.`);
    } else {
      endpoint = parsed;
    }
  }

  const accessKeyId = value('S3_ACCESS_KEY_ID');
  const secretAccessKey = source.S3_SECRET_ACCESS_KEY;
  if (!accessKeyId) problems.push('S3_ACCESS_KEY_ID is not set: set it to the access key of a user that may read, write and delete objects in the bucket.');
  if (!secretAccessKey) problems.push('S3_SECRET_ACCESS_KEY is not set: set it to the secret that goes with S3_ACCESS_KEY_ID.');

  let forcePathStyle = Boolean(rawEndpoint);
  const rawPathStyle = value('S3_FORCE_PATH_STYLE')?.toLowerCase();
  if (rawPathStyle !== undefined) {
    if (['true', '1', 'yes'].includes(rawPathStyle)) forcePathStyle = true;
    else if (['false', '0', 'no'].includes(rawPathStyle)) forcePathStyle = false;
    else problems.push(`S3_FORCE_PATH_STYLE must be true or false, not \`${source.S3_FORCE_PATH_STYLE}\`.`);
  }

  const prefix = (value('S3_PREFIX') ?? '').replace(/^\/+|\/+$/g, '');
  // URLs resolve dot segments, so such a key would be signed for one path and sent to another.
  if (prefix.split('/').some((segment) => segment === '.' || segment === '..' || (prefix && segment === ''))) {
    problems.push(`S3_PREFIX must be a key prefix such as \`modeldeck/artifacts\`, without empty, \`.\` or \`..\` segments, not \`${source.S3_PREFIX}\`.`);
  }

  if (problems.length > 0) {
    const message = `The S3 artifact store (ARTIFACT_STORE=s3) is misconfigured: ${problems.join(' ')}`;
    logger().error({ problems }, 'the S3 artifact store is misconfigured');
    throw new AppError(503, 'artifact_store_misconfigured', message);
  }
  return {
    bucket: bucket!,
    prefix,
    endpoint,
    region,
    credentials: { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! },
    forcePathStyle,
  };
}

/** Path-style (endpoint/bucket/key, what MinIO and most self-hosted servers expect) or virtual-hosted (bucket.endpoint/key). */
export function objectUrl(settings: S3Settings, key: string): URL {
  const path = encodeKeyPath(settings.prefix ? `${settings.prefix}/${key}` : key);
  const { protocol, host } = settings.endpoint;
  return settings.forcePathStyle
    ? new URL(`${protocol}//${host}/${uriEncode(settings.bucket)}/${path}`)
    : new URL(`${protocol}//${settings.bucket}.${host}/${path}`);
}

/**
 * How long a presigned artifact URL handed to a deployment backend stays valid: long enough
 * for a model server to start downloading a large artifact (S3 checks validity when the
 * request starts, not while the body streams), short enough that a leaked URL soon stops
 * working. The backend still verifies the sha256 of what it downloads.
 */
export const PRESIGNED_URL_SECONDS = 15 * 60;

/** A GET URL for `key` that needs no credentials until it expires; its signature is a secret, so never log it. */
export function presignedGetUrl(settings: S3Settings, key: string, options: { date?: Date; expiresSeconds?: number } = {}): URL {
  return presignV4(
    { method: 'GET', url: objectUrl(settings, key) },
    { credentials: settings.credentials, region: settings.region, date: options.date ?? new Date(), expiresSeconds: options.expiresSeconds ?? PRESIGNED_URL_SECONDS },
  );
}

/** s3://bucket/prefix/key: the form fetchers with their own credentials (KServe's storage initializer) read. */
export function storageUri(settings: S3Settings, key: string): string {
  return `s3://${settings.bucket}/${settings.prefix ? `${settings.prefix}/${key}` : key}`;
}

/** Idle time after which a request that neither sends nor receives anything is abandoned. */
const IDLE_TIMEOUT_MS = 120_000;

/** One signed request; resolves with the response, whatever its status, once its headers arrive. */
function send(settings: S3Settings, method: 'GET' | 'PUT' | 'DELETE', key: string, body?: { file: string; size: number; sha256: string }) {
  const url = objectUrl(settings, key);
  const signed = signV4(
    { method, url, payloadSha256: body?.sha256 ?? EMPTY_PAYLOAD_SHA256 },
    { credentials: settings.credentials, region: settings.region, date: new Date() },
  );
  const headers: OutgoingHttpHeaders = { ...signed.headers };
  if (body) {
    headers['content-length'] = String(body.size);
    headers['content-type'] = 'application/octet-stream';
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = transport.request(url, { method, headers, timeout: IDLE_TIMEOUT_MS });
    let fileError: unknown;
    request.on('response', resolve);
    // Errors after the response (a server that answers 403 before reading the whole body
    // and closes) change nothing: the response already says what happened.
    request.on('error', (error) => reject(fileError ?? unreachable(settings, error)));
    request.on('timeout', () => request.destroy(Object.assign(new Error('no activity'), { code: 'ETIMEDOUT' })));
    if (!body) {
      request.end();
      return;
    }
    const file = createReadStream(body.file);
    file.on('error', (error) => {
      fileError = error;
      request.destroy(error);
    });
    request.on('close', () => file.destroy());
    file.pipe(request);
  });
}

function isSuccess(response: IncomingMessage): boolean {
  const status = response.statusCode ?? 0;
  return status >= 200 && status < 300;
}

async function drain(response: IncomingMessage): Promise<void> {
  response.resume();
  await new Promise<void>((resolve, reject) => {
    response.on('end', resolve);
    response.on('error', reject);
  });
}

interface S3ErrorBody {
  code: string;
  message: string;
}

/** The <Code> and <Message> of an S3 error document (read up to 64 KiB; HEAD-like answers have none). */
async function readError(response: IncomingMessage): Promise<S3ErrorBody> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (length < 65_536) chunks.push(chunk);
      length += chunk.length;
    }
  } catch {
    // A truncated error document still leaves the status code to report.
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const tag = (name: string) => decodeXml(new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1] ?? '');
  return { code: tag('Code'), message: tag('Message') };
}

async function refusal(settings: S3Settings, response: IncomingMessage, action: string): Promise<AppError> {
  return describeRefusal(settings, response, await readError(response), action);
}

const HINTS: Record<string, (settings: S3Settings) => string> = {
  InvalidAccessKeyId: () => 'Check S3_ACCESS_KEY_ID.',
  SignatureDoesNotMatch: () => 'Check S3_SECRET_ACCESS_KEY (and that S3_ACCESS_KEY_ID is the key it belongs to).',
  AccessDenied: (s) => `Check that the S3 credentials may read, write and delete objects in bucket ${s.bucket}.`,
  NoSuchBucket: (s) => `Create bucket ${s.bucket} or correct S3_BUCKET.`,
  AuthorizationHeaderMalformed: () => 'Check S3_REGION: it must be the region the bucket is in.',
  PermanentRedirect: () => 'The bucket is served from another endpoint: check S3_REGION and S3_ENDPOINT.',
  RequestTimeTooSkewed: () => "The server's clock differs from the S3 server's: synchronise it (NTP).",
  XAmzContentSHA256Mismatch: () => 'The staged file changed before it was sent; retry the upload.',
};

/** S3 answered but refused: a 502 naming S3's error code and which setting to check. */
function describeRefusal(settings: S3Settings, response: IncomingMessage, refused: S3ErrorBody, action: string): AppError {
  const status = response.statusCode ?? 0;
  logger().warn(
    { status, code: refused.code, s3Message: refused.message, s3RequestId: response.headers['x-amz-request-id'], bucket: settings.bucket },
    `the S3 artifact store refused to ${action}`,
  );
  const detail = [refused.code, refused.message].filter(Boolean).join(': ');
  const hint = HINTS[refused.code]?.(settings) ?? '';
  return new AppError(
    502,
    'artifact_store_error',
    `The S3 artifact store refused to ${action} (HTTP ${status}${detail ? ` ${detail}` : ''}). ${hint}`.trim(),
  );
}

/** S3 did not answer at all: a 503, since the same request may well work later. */
function unreachable(settings: S3Settings, error: unknown): AppError {
  const code = (error as { code?: unknown }).code;
  logger().warn({ err: error, endpoint: settings.endpoint.origin }, 'the S3 artifact store is not reachable');
  return new AppError(
    503,
    'artifact_store_unavailable',
    `The S3 artifact store at ${settings.endpoint.origin} is not reachable (${typeof code === 'string' ? code : String(error)}); check S3_ENDPOINT and that the server is running.`,
  );
}

function decodeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
