import 'server-only';
import { db, type Tx } from '@/lib/db';
import type { Actor } from '@/lib/server/context';

/**
 * A session lasts 12 hours from sign-in, enforced here rather than by the JWT's expiry
 * alone: next-auth re-issues the JWT with a fresh expiry whenever /api/auth/session is
 * read, so a cookie could otherwise be kept alive for ever.
 */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const sessionStartedAfter = () => new Date(Date.now() - SESSION_MAX_AGE_SECONDS * 1000);

/** Starts a server-side session at sign-in; its id goes into the session JWT. */
export async function createSession(userId: string): Promise<string> {
  return db().$transaction(async (tx) => {
    // The user's expired sessions can no longer be used: this keeps the table small.
    await tx.session.deleteMany({ where: { userId, createdAt: { lt: sessionStartedAfter() } } });
    const session = await tx.session.create({ data: { userId }, select: { id: true } });
    return session.id;
  });
}

/**
 * The active user behind a session: one primary-key read joined to the user. Null when the
 * session is unknown, revoked or older than 12 hours, or its user is deactivated.
 */
export async function loadSessionActor(sessionId: string): Promise<Actor | null> {
  const session = await db().session.findUnique({
    where: { id: sessionId },
    select: { revokedAt: true, createdAt: true, user: { select: { id: true, email: true, name: true, roles: true, active: true } } },
  });
  if (!session || session.revokedAt || session.createdAt < sessionStartedAfter() || !session.user.active) return null;
  const { id, email, name, roles } = session.user;
  return { id, email, name, roles };
}

/** Revokes every live session of a user except `keep`; returns how many ended. */
export async function revokeUserSessions(tx: Tx, userId: string, keep?: string): Promise<number> {
  const { count } = await tx.session.updateMany({
    where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}
