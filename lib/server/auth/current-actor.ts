import 'server-only';
import { getServerSession } from 'next-auth';
import { connection } from 'next/server';
import { cache } from 'react';
import { db } from '@/lib/db';
import { can, type Permission } from '@/lib/auth/permissions';
import { forbidden, unauthorized } from '@/lib/errors';
import type { Actor } from '@/lib/server/context';
import { authOptions } from './auth-options';
import { actorFromToken } from '@/lib/server/tokens/authenticate-token';

/** The active user behind a session id, or null (deleted or deactivated users count as signed out). */
export async function loadActiveActor(userId: string): Promise<Actor | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, roles: true, active: true },
  });
  if (!user || !user.active) return null;
  return { id: user.id, email: user.email, name: user.name, roles: user.roles };
}

/** The signed-in user of this request (session cookie), loaded once per request. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  // Who is signed in is only known at request time: never prerender what depends on it.
  await connection();
  const session = await getServerSession(authOptions());
  return session?.userId ? loadActiveActor(session.userId) : null;
});

/** Session user or API token user (route handlers accept both). */
export async function actorFromRequest(request: Request): Promise<Actor | null> {
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <token>".');
    const actor = await actorFromToken(match[1]);
    if (!actor) throw unauthorized('The API token is invalid, expired or revoked, or its user is deactivated.');
    return actor;
  }
  // No session cookie means no session: skip next-auth's cookie parsing and JWT decoding.
  if (!/(^|;\s*)(__Secure-)?next-auth\.session-token(\.\d+)?=/.test(request.headers.get('cookie') ?? '')) return null;
  return currentActor();
}

export function requirePermissionOrThrow(actor: Actor | null, permission?: Permission): Actor {
  if (!actor) throw unauthorized();
  if (permission && !can(actor.roles, permission)) {
    throw forbidden(`This needs the "${permission}" permission, which your roles (${actor.roles.join(', ')}) do not grant.`);
  }
  return actor;
}
