import 'server-only';
import { db } from '@/lib/db';
import type { Actor } from '@/lib/server/context';
import { hashToken } from './token-secret';

// Recording every use would turn each API read into a write; once a minute is enough to show "last used".
const LAST_USED_RESOLUTION_MS = 60_000;

/** The user an API token acts as, or null when it is unknown, revoked, expired or its user is deactivated. */
export async function actorFromToken(token: string): Promise<Actor | null> {
  const found = await db().apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, name: true, roles: true, active: true } } },
  });
  const now = new Date();
  if (!found || found.revokedAt || (found.expiresAt && found.expiresAt <= now) || !found.user.active) return null;
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiToken.update({ where: { id: found.id }, data: { lastUsedAt: now } });
  }
  const { id, email, name, roles } = found.user;
  return { id, email, name, roles };
}
