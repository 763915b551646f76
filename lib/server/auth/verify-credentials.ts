import 'server-only';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { verifyPassword } from './passwords';
import { recordSignInFailure } from './sign-in-limits';

/**
 * Checks an e-mail and password. Unknown account, wrong password and deactivated
 * account all give the same answer (null) so the sign-in form reveals nothing.
 */
export async function verifyCredentials(input: { email: string; password: string; ip: string }) {
  const email = input.email.trim().toLowerCase();
  const user = await db().user.findUnique({ where: { email } });
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !passwordOk || !user.active) {
    await recordSignInFailure(email, input.ip);
    return null;
  }
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: 'auth.sign_in',
      targetType: 'user',
      targetId: user.id,
      after: { method: 'password', ip: input.ip },
    });
  });
  return { id: user.id, email: user.email, name: user.name };
}
