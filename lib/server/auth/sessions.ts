import 'server-only';
import { db, type Tx } from '@/lib/db';
import type { Actor } from '@/lib/server/context';

/** Starts a server-side session at sign-in; its id goes into the session JWT. */
export async function createSession(userId: string): Promise<string> {
  const session = await db().session.create({ data: { userId }, select: { id: true } });
  return session.id;
}

/**
 * The active user behind a session: one primary-key read joined to the user. Null when the
 * session is unknown or revoked, or its user is deleted or deactivated.
 */
export async function loadSessionActor(sessionId: string): Promise<Actor | null> {
  const session = await db().session.findUnique({
    where: { id: sessionId },
    select: { revokedAt: true, user: { select: { id: true, email: true, name: true, roles: true, active: true } } },
  });
  if (!session || session.revokedAt || !session.user.active) return null;
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
