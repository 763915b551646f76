import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { actorFromToken } from '@/lib/server/tokens/authenticate-token';
import { ensureServiceToken, MODEL_SERVER_ACCOUNT } from '@/lib/server/tokens/ensure-service-token';

describe('ensureServiceToken (embedded model server reporting)', () => {
  it('creates the engineer service user once, keeps a working token, and replaces a revoked one', async () => {
    const first = await ensureServiceToken(MODEL_SERVER_ACCOUNT, undefined);
    expect(first.created).toBe(true);
    const actor = await actorFromToken(first.token);
    expect(actor).toMatchObject({ email: 'model-server@modeldeck.local', roles: ['engineer'] });

    const again = await ensureServiceToken(MODEL_SERVER_ACCOUNT, first.token);
    expect(again).toEqual({ token: first.token, created: false });

    await db().apiToken.updateMany({ where: { userId: actor!.id }, data: { revokedAt: new Date() } });
    const replaced = await ensureServiceToken(MODEL_SERVER_ACCOUNT, first.token);
    expect(replaced.created).toBe(true);
    expect(replaced.token).not.toBe(first.token);
    expect((await actorFromToken(replaced.token))?.id).toBe(actor!.id);
    expect(await db().user.count({ where: { email: MODEL_SERVER_ACCOUNT.email } })).toBe(1);
    const audited = await db().auditEntry.count({ where: { action: 'token.create' } });
    expect(audited).toBe(2);
  });
});
