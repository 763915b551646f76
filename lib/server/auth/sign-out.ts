import 'server-only';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { revokeUserSessions } from './sessions';

/**
 * Ends one session (next-auth's sign-out). The conditional update makes a repeated or
 * concurrent sign-out a no-op: only the request that revoked the session audits it.
 */
export async function signOutSession(input: { sessionId: string }): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const revoked = await tx.session.updateManyAndReturn({
      where: { id: input.sessionId, revokedAt: null },
      data: { revokedAt: new Date() },
      select: { userId: true, user: { select: { email: true } } },
    });
    const session = revoked[0];
    if (!session) return false;
    await recordAudit(tx, {
      actor: { id: session.userId, email: session.user.email },
      action: 'auth.sign_out',
      targetType: 'user',
      targetId: session.userId,
      after: { sessionId: input.sessionId },
    });
    return true;
  });
}

/** "Sign out everywhere": ends every session of the caller, this one included. */
export async function signOutEverywhere(ctx: RequestContext): Promise<{ sessionsEnded: number }> {
  return db().$transaction(async (tx) => {
    const sessionsEnded = await revokeUserSessions(tx, ctx.actor.id);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'auth.sign_out_everywhere',
      targetType: 'user',
      targetId: ctx.actor.id,
      after: { sessionsEnded },
      requestId: ctx.requestId,
    });
    return { sessionsEnded };
  });
}
