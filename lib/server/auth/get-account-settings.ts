import 'server-only';
import { db } from '@/lib/db';

/** What the Settings page needs about the signed-in user's own account. */
export async function getAccountSettings(userId: string): Promise<{ hasPassword: boolean }> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  return { hasPassword: user.passwordHash !== null };
}
