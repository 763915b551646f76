import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GET as me } from '@/app/api/v1/me/route';
import { DELETE as revokeToken } from '@/app/api/v1/tokens/[id]/route';
import { GET as listTokens, POST as createToken } from '@/app/api/v1/tokens/route';
import { db } from '@/lib/db';
import { call, createTestUser } from '../helpers';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function create(token: string, json: unknown) {
  return call(createToken, { path: '/api/v1/tokens', token, json });
}

function revoke(token: string, id: string) {
  return call(revokeToken, { path: `/api/v1/tokens/${id}`, method: 'DELETE', token, params: { id } });
}

const whoAmI = (token: string) => call(me, { path: '/api/v1/me', token });

describe('creating a token', () => {
  it('returns the secret once, with a list entry that never contains it', async () => {
    const owner = await createTestUser(['engineer']);
    const before = Date.now();
    const created = await create(owner.token, { name: '  training pipeline ', expiresInDays: 30 });
    expect(created.status).toBe(201);
    const { token, apiToken } = created.body;
    expect(token).toMatch(/^mdk_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toEqual({
      id: expect.any(String),
      name: 'training pipeline',
      prefix: token.slice(0, 12),
      createdAt: expect.any(String),
      lastUsedAt: null,
      expiresAt: expect.any(String),
      revokedAt: null,
    });
    const expiresIn = new Date(apiToken.expiresAt).getTime() - before;
    expect(expiresIn).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(expiresIn).toBeLessThan(30 * 86_400_000 + 60_000);

    // The list shows the token by name and prefix; the secret and its hash never appear.
    const listed = await call(listTokens, { path: '/api/v1/tokens', token: owner.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((t: { id: string }) => t.id === apiToken.id)).toEqual(apiToken);
    expect(listed.text).not.toContain(token);
    expect(listed.text).not.toContain(sha256(token));
    expect(listed.text).not.toContain('tokenHash');
  });

  it('stores only the SHA-256 of the secret', async () => {
    const owner = await createTestUser(['viewer']);
    const { body } = await create(owner.token, { name: 'hashed' });
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: body.apiToken.id } });
    expect(row.tokenHash).toBe(sha256(body.token));
    expect(row.tokenHash).not.toBe(body.token);
    expect(JSON.stringify(row)).not.toContain(body.token);
    expect(row.expiresAt).toBeNull();

    // The audit entry names the token by prefix only.
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'token.create', targetId: row.id } });
    expect(entry.actorId).toBe(owner.user.id);
    expect(JSON.stringify([entry.before, entry.after])).not.toContain(body.token);
  });

  it('lists only the caller’s own tokens', async () => {
    const alice = await createTestUser(['viewer']);
    const bob = await createTestUser(['admin']);
    const { body } = await create(alice.token, { name: 'alice only' });
    const bobs = await call(listTokens, { path: '/api/v1/tokens', token: bob.token });
    expect(bobs.body.items.map((t: { id: string }) => t.id)).not.toContain(body.apiToken.id);
  });

  it('validates the body: name required and non-blank, expiresInDays 1–3650, no other fields', async () => {
    const owner = await createTestUser(['viewer']);
    const cases: [unknown, string][] = [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'ok', expiresInDays: 0 }, 'expiresInDays'],
      [{ name: 'ok', expiresInDays: -5 }, 'expiresInDays'],
      [{ name: 'ok', expiresInDays: 3651 }, 'expiresInDays'],
      [{ name: 'ok', expiresInDays: 1.5 }, 'expiresInDays'],
      [{ name: 'ok', expiresInDays: 'soon' }, 'expiresInDays'],
      [{ name: 'ok', userId: randomUUID() }, 'userId'],
    ];
    for (const [json, field] of cases) {
      const response = await create(owner.token, json);
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect(response.body.code).toBe('validation_failed');
      expect(Object.keys(response.body.errors), JSON.stringify(json)).toEqual([field]);
    }
    // Only the fixture's own token exists: nothing was created by the refused requests.
    expect(await db().apiToken.count({ where: { userId: owner.user.id } })).toBe(1);
  });

  it('needs credentials', async () => {
    const response = await call(createToken, { path: '/api/v1/tokens', json: { name: 'anonymous' } });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthorized');
  });
});

describe('using a token', () => {
  it('authenticates GET /api/v1/me as its user and records when it was last used', async () => {
    const owner = await createTestUser(['reviewer']);
    const { body } = await create(owner.token, { name: 'me' });
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: body.apiToken.id } })).lastUsedAt).toBeNull();

    const before = Date.now();
    const response = await whoAmI(body.token);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: owner.user.id, email: owner.user.email, roles: ['reviewer'] });
    expect(response.body.permissions).toEqual(expect.arrayContaining(['releases:review', 'audit:read']));
    expect(response.body.permissions).not.toContain('users:manage');

    const row = await db().apiToken.findUniqueOrThrow({ where: { id: body.apiToken.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses an expired token with 401 and accepts one that has not expired yet', async () => {
    const owner = await createTestUser(['viewer']);
    const { body } = await create(owner.token, { name: 'short-lived', expiresInDays: 1 });
    expect((await whoAmI(body.token)).status).toBe(200);
    await db().apiToken.update({ where: { id: body.apiToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await whoAmI(body.token);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('unauthorized');
  });

  it('refuses a token that differs from a real one by one character', async () => {
    const owner = await createTestUser(['viewer']);
    const { body } = await create(owner.token, { name: 'exact' });
    const last = body.token.at(-1) === 'A' ? 'B' : 'A';
    expect((await whoAmI(body.token.slice(0, -1) + last)).status).toBe(401);
  });
});

describe('revoking a token', () => {
  it('answers 200 with the revoked token, after which the token gets 401; again is 409 already_revoked', async () => {
    const owner = await createTestUser(['engineer']);
    const { body } = await create(owner.token, { name: 'to revoke' });
    expect((await whoAmI(body.token)).status).toBe(200);

    const revoked = await revoke(owner.token, body.apiToken.id);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: body.apiToken.id, name: 'to revoke', revokedAt: expect.any(String) });
    expect(revoked.text).not.toContain(body.token);
    expect((await whoAmI(body.token)).status).toBe(401);

    const again = await revoke(owner.token, body.apiToken.id);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_revoked');

    const entries = await db().auditEntry.findMany({ where: { action: 'token.revoke', targetId: body.apiToken.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: owner.user.id, before: { revokedAt: null } });
    // Revoked tokens stay in the owner's list, marked as revoked.
    const listed = await call(listTokens, { path: '/api/v1/tokens', token: owner.token });
    expect(listed.body.items.find((t: { id: string }) => t.id === body.apiToken.id).revokedAt).toEqual(revoked.body.revokedAt);
  });

  it('lets a user revoke their own tokens only (404 for someone else’s), and an admin anyone’s', async () => {
    const alice = await createTestUser(['engineer']);
    const mallory = await createTestUser(['manager']);
    const admin = await createTestUser(['admin']);
    const { body } = await create(alice.token, { name: 'alice ci' });

    const foreign = await revoke(mallory.token, body.apiToken.id);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    expect((await whoAmI(body.token)).status).toBe(200);

    const byAdmin = await revoke(admin.token, body.apiToken.id);
    expect(byAdmin.status).toBe(200);
    expect((await whoAmI(body.token)).status).toBe(401);
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'token.revoke', targetId: body.apiToken.id } });
    expect(entry).toMatchObject({ actorId: admin.user.id, after: { userId: alice.user.id, revoked: true } });
  });

  it('answers 404 for an unknown id and for one that is not a UUID', async () => {
    const owner = await createTestUser(['viewer']);
    expect((await revoke(owner.token, randomUUID())).status).toBe(404);
    const malformed = await revoke(owner.token, 'not-a-uuid');
    expect(malformed.status).toBe(404);
    expect(malformed.body.code).toBe('not_found');
  });

  it('revokes exactly once under 20 concurrent requests: one 200, nineteen 409, one audit entry', async () => {
    const owner = await createTestUser(['engineer']);
    // The requests authenticate with the fixture's token, not the one being revoked, so
    // every request reaches the revocation itself.
    const { body } = await create(owner.token, { name: 'raced' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => revoke(owner.token, body.apiToken.id)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.code === 'already_revoked')).toBe(true);
    expect(await db().auditEntry.count({ where: { action: 'token.revoke', targetId: body.apiToken.id } })).toBe(1);
    expect((await whoAmI(body.token)).status).toBe(401);
  });
});
