import 'server-only';
import { db } from '@/lib/db';
import type { RoleName } from '@/lib/auth/permissions';
import { createUser } from '@/lib/server/users/create-user';
import { actorFromToken } from './authenticate-token';
import { createApiToken } from './create-api-token';

export interface ServiceAccount {
  email: string;
  name: string;
  role: RoleName;
  tokenName: string;
}

/** The account embedded mode's model server reports predictions as (`monitoring:ingest`). */
export const MODEL_SERVER_ACCOUNT: ServiceAccount = {
  email: 'model-server@modeldeck.local',
  name: 'Model server',
  role: 'engineer',
  tokenName: 'prediction reports',
};

/**
 * A working API token of a service account: `known` when it still authenticates as that
 * account, else a new token — the account is created first if missing (with a random
 * password nobody learns: it signs in with its token only). Idempotent; the caller keeps the
 * token, since only its hash is stored.
 */
export async function ensureServiceToken(account: ServiceAccount, known: string | undefined): Promise<{ token: string; created: boolean }> {
  if (known) {
    const actor = await actorFromToken(known);
    if (actor?.email === account.email && actor.roles.includes(account.role)) return { token: known, created: false };
  }
  let user = await db().user.findUnique({ where: { email: account.email } });
  if (!user) {
    try {
      user = (await createUser({ input: { email: account.email, name: account.name, roles: [account.role] }, actor: null })).user;
    } catch (caught) {
      // Created meanwhile by another start: use that one.
      user = await db().user.findUnique({ where: { email: account.email } });
      if (!user) throw caught;
    }
  }
  if (!user.active || !user.roles.includes(account.role)) {
    throw new Error(`${account.email} is deactivated or lacks the ${account.role} role; an admin changed it on purpose, so it is left as is.`);
  }
  const { token } = await createApiToken({ userId: user.id, input: { name: account.tokenName }, actor: null });
  return { token, created: true };
}
