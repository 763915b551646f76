import 'server-only';
import { db } from '@/lib/db';
import { conflict, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import type { ChangePasswordInput } from '@/lib/validation/account';
import { hashPassword, verifyPassword } from './passwords';
import { revokeUserSessions } from './sessions';

/**
 * Changes the caller's password after checking the current one, and ends every other
 * session of theirs (whoever learnt the old password may be signed in elsewhere).
 * `keepSessionId` is the session making the change, which stays signed in.
 */
export async function changePassword(ctx: RequestContext, input: ChangePasswordInput, options: { keepSessionId?: string } = {}) {
  const user = await db().user.findUniqueOrThrow({ where: { id: ctx.actor.id }, select: { passwordHash: true } });
  if (!user.passwordHash) {
    throw unprocessable('Your account signs in through SSO: change your password at your identity provider.', undefined, 'sso_account');
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw unprocessable('The current password is not right.', { currentPassword: ['The current password is not right.'] }, 'wrong_password');
  }
  const passwordHash = await hashPassword(input.newPassword);

  return db().$transaction(async (tx) => {
    // Conditional on the hash we verified against: of two concurrent changes, the second
    // one's "current password" is no longer current, so it must not win.
    const { count } = await tx.user.updateMany({
      where: { id: ctx.actor.id, passwordHash: user.passwordHash },
      data: { passwordHash, version: { increment: 1 } },
    });
    if (count === 0) throw conflict('Your password was changed meanwhile; sign in again with the new one.', 'password_changed');
    const sessionsEnded = await revokeUserSessions(tx, ctx.actor.id, options.keepSessionId);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'user.change_password',
      targetType: 'user',
      targetId: ctx.actor.id,
      after: { sessionsEnded },
      requestId: ctx.requestId,
    });
    return { sessionsEnded };
  });
}
