import 'server-only';
import { db } from '@/lib/db';
import { conflict, notFound, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { revokeUserSessions } from '@/lib/server/auth/sessions';
import type { RequestContext } from '@/lib/server/context';
import type { UpdateUserInput } from '@/lib/validation/users';

/**
 * Changes a user's name, roles or active flag. Deactivation revokes the user's sessions
 * and API tokens for good, so reactivating the account later does not bring back
 * credentials issued before (the user signs in again and makes new tokens).
 * Invariants: admins cannot lock themselves out, and at least one active admin remains.
 */
export async function updateUser(ctx: RequestContext, userId: string, input: UpdateUserInput) {
  return db().$transaction(async (tx) => {
    // Lock the target row and every active admin's row: two admins demoting each other
    // at once then run one after the other, and the second sees the first's result.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid OR (active AND 'admin' = ANY(roles)) FOR UPDATE`;
    const before = await tx.user.findUnique({ where: { id: userId } });
    if (!before) throw notFound(`User ${userId} not found.`);

    const roles = input.roles ? [...new Set(input.roles)] : before.roles;
    const active = input.active ?? before.active;
    const stillAdmin = active && roles.includes('admin');
    if (userId === ctx.actor.id && !stillAdmin && before.roles.includes('admin')) {
      throw unprocessable('You cannot remove your own admin role or deactivate yourself; ask another admin.', undefined, 'self_lockout');
    }
    if (before.active && before.roles.includes('admin') && !stillAdmin) {
      const otherAdmins = await tx.user.count({ where: { id: { not: userId }, active: true, roles: { has: 'admin' } } });
      if (otherAdmins === 0) throw conflict('This is the last active admin; make someone else admin first.', 'last_admin');
    }

    const after = await tx.user.update({
      where: { id: userId },
      data: { name: input.name ?? before.name, roles, active, version: { increment: 1 } },
    });
    const deactivated = before.active && !after.active;
    const revoked = deactivated
      ? {
          sessionsEnded: await revokeUserSessions(tx, userId),
          tokensRevoked: (await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } })).count,
        }
      : {};
    const changed = (['name', 'roles', 'active'] as const).filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
    );
    if (changed.length > 0) {
      await recordAudit(tx, {
        actor: ctx.actor,
        action: deactivated ? 'user.deactivate' : input.active === true && !before.active ? 'user.reactivate' : 'user.update',
        targetType: 'user',
        targetId: userId,
        before: Object.fromEntries(changed.map((key) => [key, before[key]])),
        after: { ...Object.fromEntries(changed.map((key) => [key, after[key]])), ...revoked },
        requestId: ctx.requestId,
      });
    }
    return after;
  });
}
