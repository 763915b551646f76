import 'server-only';
import { db } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { conflict, notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';

/**
 * Revokes a token. Users revoke their own; admins (users:manage) revoke anyone's.
 * Ownership is part of the query, so another user's token is simply "not found".
 */
export async function revokeApiToken(ctx: RequestContext, tokenId: string) {
  const ownerFilter = can(ctx.actor.roles, 'users:manage') ? {} : { userId: ctx.actor.id };
  return db().$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: tokenId, ...ownerFilter } });
    if (!token) throw notFound(`API token ${tokenId} not found.`);
    // The revokedAt condition makes two concurrent revocations produce one audit entry and one 409.
    const { count } = await tx.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw conflict(`API token ${tokenId} is already revoked.`, 'already_revoked');
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'token.revoke',
      targetType: 'api_token',
      targetId: tokenId,
      before: { revokedAt: null },
      after: { userId: token.userId, name: token.name, prefix: token.prefix, revoked: true },
      requestId: ctx.requestId,
    });
    return tx.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
  });
}
