import 'server-only';
import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for S3 requests: the header (Authorization) form, and the
 * query-string form that presigns a URL someone else fetches. Pure: the caller passes the clock and the payload's sha256, so the signature can be
 * checked against AWS's documented examples and the body is never read here.
 */

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignableRequest {
  method: string;
  /** Its pathname must already be URI-encoded segment by segment (see encodeKeyPath): S3 signs the path as sent. */
  url: URL;
  /** Extra headers to sign besides host, x-amz-date and x-amz-content-sha256. */
  headers?: Record<string, string>;
  /** Hex sha256 of the body, or UNSIGNED-PAYLOAD. */
  payloadSha256: string;
}

export interface SigningOptions {
  credentials: AwsCredentials;
  region: string;
  service?: string;
  date: Date;
}

export interface SignedRequest {
  /** Every signed header, lower-cased, plus authorization: send them all. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

export const EMPTY_PAYLOAD_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding as AWS specifies it: everything but A-Z a-z 0-9 - . _ ~ is %XX (upper-case hex). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An object key as a URL path: each segment encoded, the slashes between them kept. */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(uriEncode).join('/');
}

/** 20130524T000000Z: the x-amz-date form of an instant. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function signV4(request: SignableRequest, options: SigningOptions): SignedRequest {
  const service = options.service ?? 's3';
  const timestamp = amzDate(options.date);
  const day = timestamp.slice(0, 8);
  const scope = `${day}/${options.region}/${service}/aws4_request`;

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.host = request.url.host;
  headers['x-amz-date'] = timestamp;
  headers['x-amz-content-sha256'] = request.payloadSha256;

  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers[name]!.trim().replace(/ +/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');

  const canonicalRequest = [
    request.method.toUpperCase(),
    request.url.pathname || '/',
    canonicalQuery(request.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    request.payloadSha256,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256Hex(canonicalRequest)].join('\n');

  const signature = hmac(signingKey(options.credentials, day, options.region, service), stringToSign).toString('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope},` +
    `SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature };
}

export interface PresignOptions extends SigningOptions {
  /** How long the URL is valid from `date`, in seconds (S3 accepts 1 to 604800). */
  expiresSeconds: number;
}

/**
 * A presigned URL (AWS SigV4 query-string authentication): the X-Amz-* parameters carry the
 * credential scope, the instant, the validity and the signature; only the host header is
 * signed and the payload is UNSIGNED-PAYLOAD, so whoever holds the URL may send it as is
 * until it expires. The signature is a bearer secret: log the URL's origin and path only.
 */
export function presignV4(request: { method: string; url: URL }, options: PresignOptions): URL {
  if (!Number.isInteger(options.expiresSeconds) || options.expiresSeconds < 1 || options.expiresSeconds > 604_800) {
    throw new RangeError(`A presigned URL's validity must be 1 to 604800 whole seconds, not ${options.expiresSeconds}.`);
  }
  const service = options.service ?? 's3';
  const timestamp = amzDate(options.date);
  const scope = `${timestamp.slice(0, 8)}/${options.region}/${service}/aws4_request`;
  const url = new URL(request.url);
  url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
  url.searchParams.set('X-Amz-Credential', `${options.credentials.accessKeyId}/${scope}`);
  url.searchParams.set('X-Amz-Date', timestamp);
  url.searchParams.set('X-Amz-Expires', String(options.expiresSeconds));
  url.searchParams.set('X-Amz-SignedHeaders', 'host');

  const canonicalRequest = [
    request.method.toUpperCase(),
    url.pathname || '/',
    canonicalQuery(url.searchParams),
    `host:${url.host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = hmac(signingKey(options.credentials, timestamp.slice(0, 8), options.region, service), stringToSign).toString('hex');
  // URLSearchParams would write spaces as '+'; S3 reads the query as RFC 3986, so it is written in canonical form.
  url.search = `${canonicalQuery(url.searchParams)}&X-Amz-Signature=${signature}`;
  return url;
}

function signingKey(credentials: AwsCredentials, day: string, region: string, service: string): Buffer {
  return [day, region, service, 'aws4_request'].reduce<Buffer>((key, part) => hmac(key, part), Buffer.from(`AWS4${credentials.secretAccessKey}`, 'utf8'));
}

/** Parameters sorted by encoded name then value; a name without a value is `name=`. */
function canonicalQuery(params: URLSearchParams): string {
  return [...params.entries()]
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}
