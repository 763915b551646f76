import 'server-only';
import { db } from '@/lib/db';

/** A user's tokens, newest first (revoked ones included, so the history stays visible). */
export function listApiTokens(userId: string) {
  return db().apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: 200 });
}
