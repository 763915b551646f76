import 'server-only';
import { db } from '@/lib/db';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_MAX_FAILURES = 10;

/** Thrown by verifyCredentials; next-auth passes the message to the sign-in page as `error=`. */
export class SignInRateLimitedError extends Error {
  constructor() {
    super('RateLimited');
    this.name = 'SignInRateLimitedError';
  }
}

/** True when the account or the client address has failed 10 times in the last 15 minutes. */
export async function signInBlocked(email: string, ip: string): Promise<boolean> {
  const since = new Date(Date.now() - SIGN_IN_WINDOW_MS);
  const [byAccount, byAddress] = await Promise.all([
    db().signInFailure.count({ where: { email: email.toLowerCase(), createdAt: { gte: since } } }),
    db().signInFailure.count({ where: { ip, createdAt: { gte: since } } }),
  ]);
  return byAccount >= SIGN_IN_MAX_FAILURES || byAddress >= SIGN_IN_MAX_FAILURES;
}

/**
 * Reserves one attempt for this account and address before the password is checked: the
 * row counts as a failure until the caller deletes it (right password). Counting and
 * inserting happen under advisory locks on the account and the address, so parallel
 * attempts queue and exactly SIGN_IN_MAX_FAILURES of them get through. Returns the
 * reservation id, or null when the account or the address is blocked.
 */
export async function reserveSignInAttempt(email: string, ip: string): Promise<bigint | null> {
  const account = email.toLowerCase();
  return db().$transaction(async (tx) => {
    // Always the same order, so two attempts that share one key cannot deadlock.
    for (const key of [`sign-in:account:${account}`, `sign-in:address:${ip}`].sort()) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
    }
    const since = new Date(Date.now() - SIGN_IN_WINDOW_MS);
    const [byAccount, byAddress] = await Promise.all([
      tx.signInFailure.count({ where: { email: account, createdAt: { gte: since } } }),
      tx.signInFailure.count({ where: { ip, createdAt: { gte: since } } }),
    ]);
    if (byAccount >= SIGN_IN_MAX_FAILURES || byAddress >= SIGN_IN_MAX_FAILURES) return null;
    const reservation = await tx.signInFailure.create({ data: { email: account, ip }, select: { id: true } });
    return reservation.id;
  });
}
