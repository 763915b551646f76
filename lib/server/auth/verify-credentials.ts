import 'server-only';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { verifyPassword } from './passwords';
import { reserveSignInAttempt, SignInRateLimitedError } from './sign-in-limits';

/**
 * Checks an e-mail and password. Unknown account, wrong password and deactivated
 * account all give the same answer (null) so the sign-in form reveals nothing.
 * Throws SignInRateLimitedError, before the password is looked at, once the account or
 * the address has 10 failures in 15 minutes: the limit lives here, where next-auth hands
 * over the credentials it parsed, so every body format and every duplicate field is
 * counted the way it is checked.
 */
export async function verifyCredentials(input: { email: string; password: string; ip: string }) {
  const email = input.email.trim().toLowerCase();
  const reservation = await reserveSignInAttempt(email, input.ip);
  if (reservation === null) throw new SignInRateLimitedError();

  const user = await db().user.findUnique({ where: { email } });
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  // A failure keeps its reservation row: that row is the recorded failure.
  if (!user || !passwordOk || !user.active) return null;

  await db().$transaction(async (tx) => {
    await tx.signInFailure.delete({ where: { id: reservation } });
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
