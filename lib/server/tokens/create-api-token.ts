import 'server-only';
import { db } from '@/lib/db';
import type { ApiToken } from '@/lib/generated/prisma/client';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { CreateTokenInput } from '@/lib/validation/tokens';
import { newTokenSecret } from './token-secret';

export interface CreateApiTokenOptions {
  /** Whose token it is. */
  userId: string;
  input: CreateTokenInput;
  /** Who creates it: the user themself, or null for the operator CLI. */
  actor: { id: string; email: string } | null;
  requestId?: string;
}

/** Creates a personal API token and returns its secret, which is never retrievable again. */
export async function createApiToken({ userId, input, actor, requestId }: CreateApiTokenOptions): Promise<{ token: string; apiToken: ApiToken }> {
  const secret = newTokenSecret();
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const apiToken = await db().$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { userId, name: input.name, prefix: secret.prefix, tokenHash: secret.tokenHash, expiresAt },
    });
    await recordAudit(tx, {
      actor,
      action: 'token.create',
      targetType: 'api_token',
      targetId: created.id,
      after: { userId, name: created.name, prefix: created.prefix, expiresAt, source: actor ? 'ui_or_api' : 'cli' },
      requestId,
    });
    return created;
  });
  return { token: secret.token, apiToken };
}

export function serializeApiToken(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}
