import { randomUUID } from 'node:crypto';

/**
 * A client's x-request-id is echoed in headers and stored in the audit log, so only a short
 * token of safe characters is taken as is; anything else (control characters, markup, long
 * text) gets a fresh id instead of being reflected.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdFrom(headers: Pick<Headers, 'get'> | null | undefined): string {
  const offered = headers?.get('x-request-id');
  return offered && SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
}
