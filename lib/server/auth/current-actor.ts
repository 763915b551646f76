import 'server-only';
import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { connection } from 'next/server';
import { cache } from 'react';
import { can, type Permission } from '@/lib/auth/permissions';
import { forbidden, unauthorized } from '@/lib/errors';
import { env } from '@/lib/env';
import type { Actor } from '@/lib/server/context';
import { actorFromToken } from '@/lib/server/tokens/authenticate-token';
import { loadSessionActor } from './sessions';

const SESSION_COOKIE = /(^|;\s*)(__Secure-)?next-auth\.session-token(\.\d+)?=/;

/**
 * The server-side session id in a Cookie header, or null. next-auth names the cookie
 * `__Secure-…` over https and splits a large one into `.0`, `.1`, … chunks.
 */
export async function sessionIdFromCookies(cookie: string): Promise<string | null> {
  if (!SESSION_COOKIE.test(cookie)) return null;
  const parts = new Map<string, string>();
  for (const pair of cookie.split(/;\s*/)) {
    const at = pair.indexOf('=');
    if (at > 0) parts.set(pair.slice(0, at), pair.slice(at + 1));
  }
  for (const name of ['__Secure-next-auth.session-token', 'next-auth.session-token']) {
    let value = parts.get(name);
    if (value === undefined) {
      const chunks: string[] = [];
      for (let i = 0; parts.has(`${name}.${i}`); i++) chunks.push(parts.get(`${name}.${i}`)!);
      if (chunks.length > 0) value = chunks.join('');
    }
    if (value === undefined) continue;
    const token = await decode({ token: value, secret: env().NEXTAUTH_SECRET }).catch(() => null);
    return typeof token?.sid === 'string' ? token.sid : null;
  }
  return null;
}

/** This request's session id (pages and server actions). */
export const currentSessionId = cache(async (): Promise<string | null> => {
  // Who is signed in is only known at request time: never prerender what depends on it.
  await connection();
  return sessionIdFromCookies((await cookies()).toString());
});

/**
 * The signed-in user of this request, loaded once per request. The session row decides:
 * a signed-out, revoked or deactivated session is no session, whatever the JWT says.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const sessionId = await currentSessionId();
  return sessionId ? loadSessionActor(sessionId) : null;
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
  const sessionId = await sessionIdFromCookies(request.headers.get('cookie') ?? '');
  return sessionId ? loadSessionActor(sessionId) : null;
}

export function requirePermissionOrThrow(actor: Actor | null, permission?: Permission): Actor {
  if (!actor) throw unauthorized();
  if (permission && !can(actor.roles, permission)) {
    throw forbidden(`This needs the "${permission}" permission, which your roles (${actor.roles.join(', ')}) do not grant.`);
  }
  return actor;
}
