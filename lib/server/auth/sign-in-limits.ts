import 'server-only';
import { db } from '@/lib/db';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_MAX_FAILURES = 10;

/** True when the account or the client address has failed 10 times in the last 15 minutes. */
export async function signInBlocked(email: string, ip: string): Promise<boolean> {
  const since = new Date(Date.now() - SIGN_IN_WINDOW_MS);
  const [byAccount, byAddress] = await Promise.all([
    db().signInFailure.count({ where: { email: email.toLowerCase(), createdAt: { gte: since } } }),
    db().signInFailure.count({ where: { ip, createdAt: { gte: since } } }),
  ]);
  return byAccount >= SIGN_IN_MAX_FAILURES || byAddress >= SIGN_IN_MAX_FAILURES;
}

export async function recordSignInFailure(email: string, ip: string): Promise<void> {
  await db().signInFailure.create({ data: { email: email.toLowerCase(), ip } });
}

/**
 * Client address for rate limiting: the last X-Forwarded-For entry. Next.js sets the
 * header to the socket address when it is absent, and a reverse proxy appends the address
 * it saw, so the last entry is the one a client cannot choose when a proxy is in front.
 */
export function clientIp(headers: Headers | Record<string, string | string[] | undefined>): string {
  const raw = headers instanceof Headers ? headers.get('x-forwarded-for') : headers['x-forwarded-for'];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  return value?.split(',').at(-1)?.trim() || 'unknown';
}
