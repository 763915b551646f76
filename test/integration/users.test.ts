import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { GET as me } from '@/app/api/v1/me/route';
import { PATCH as patchUser } from '@/app/api/v1/users/[id]/route';
import { POST as postUser } from '@/app/api/v1/users/route';
import type { RoleName } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { verifyCredentials } from '@/lib/server/auth/verify-credentials';
import { updateUser } from '@/lib/server/users/update-user';
import { call, createTestUser } from '../helpers';

const ip = '203.0.113.7';

function patch(token: string, id: string, json: unknown, headers?: Record<string, string>) {
  return call(patchUser, { path: `/api/v1/users/${id}`, method: 'PATCH', token, json, params: { id }, ...(headers ? { headers } : {}) });
}

function auditFor(targetId: string, action?: string) {
  return db().auditEntry.findMany({ where: { targetId, ...(action ? { action } : {}) }, orderBy: { seq: 'asc' } });
}

/** Deactivates every admin so a test controls exactly who the active admins are. */
async function retireAllAdmins() {
  await db().user.updateMany({ where: { roles: { has: 'admin' } }, data: { active: false } });
}

const activeAdmins = () => db().user.count({ where: { active: true, roles: { has: 'admin' } } });

/** The AppError a rejected service call failed with (anything else fails the test). */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('creating users', () => {
  it('returns a temporary password once when none is given, and it signs in', async () => {
    const admin = await createTestUser(['admin']);
    const email = `temp-${randomUUID().slice(0, 8)}@test.example`;
    const created = await call(postUser, { path: '/api/v1/users', token: admin.token, json: { email, name: 'Temp', roles: ['viewer'] } });
    expect(created.status).toBe(201);
    const { temporaryPassword } = created.body;
    expect(temporaryPassword).toEqual(expect.any(String));
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);

    expect(await verifyCredentials({ email, password: temporaryPassword, ip })).toEqual({ id: created.body.user.id, email, name: 'Temp' });

    // Stored only as an argon2id hash, and the audit entry does not carry it either.
    const row = await db().user.findUniqueOrThrow({ where: { email } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(temporaryPassword);
    const [entry] = await auditFor(row.id, 'user.create');
    expect(entry).toMatchObject({ actorId: admin.user.id, actorEmail: admin.user.email });
    expect(JSON.stringify([entry?.before, entry?.after])).not.toContain(temporaryPassword);
  });

  it('returns no temporary password when the admin sets one, and that password signs in', async () => {
    const admin = await createTestUser(['admin']);
    const email = `chosen-${randomUUID().slice(0, 8)}@test.example`;
    const password = 'a chosen long password';
    const created = await call(postUser, { path: '/api/v1/users', token: admin.token, json: { email, name: 'Chosen', roles: ['engineer'], password } });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('temporaryPassword');
    expect(await verifyCredentials({ email, password, ip })).toMatchObject({ id: created.body.user.id });
    expect(await verifyCredentials({ email, password: 'not the password', ip })).toBeNull();
  });
});

describe('changing roles and names', () => {
  it('changes roles, de-duplicates them and audits before/after with the request id', async () => {
    const admin = await createTestUser(['admin']);
    const target = await createTestUser(['viewer']);
    const response = await patch(admin.token, target.user.id, { roles: ['engineer', 'reviewer', 'engineer'] }, { 'x-request-id': 'roles-1' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: target.user.id, roles: ['engineer', 'reviewer'], active: true });

    const entries = await auditFor(target.user.id, 'user.update');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: admin.user.id,
      actorEmail: admin.user.email,
      targetType: 'user',
      before: { roles: ['viewer'] },
      after: { roles: ['engineer', 'reviewer'] },
      requestId: 'roles-1',
    });

    // The new roles apply at the user's next request.
    const now = await call(me, { path: '/api/v1/me', token: target.token });
    expect(now.body.roles).toEqual(['engineer', 'reviewer']);
    expect(now.body.permissions).toContain('releases:review');
  });

  it('audits only the fields that changed, and nothing when nothing changed', async () => {
    const admin = await createTestUser(['admin']);
    const target = await createTestUser(['viewer']);
    expect((await patch(admin.token, target.user.id, { name: 'New Name', roles: ['viewer'] })).status).toBe(200);
    const [entry] = await auditFor(target.user.id, 'user.update');
    expect(entry?.before).toEqual({ name: target.user.name });
    expect(entry?.after).toEqual({ name: 'New Name' });

    const unchanged = await patch(admin.token, target.user.id, { name: 'New Name', active: true });
    expect(unchanged.status).toBe(200);
    expect(await auditFor(target.user.id, 'user.update')).toHaveLength(1);
  });

  it('refuses an empty role list with 422 and leaves the roles alone', async () => {
    const admin = await createTestUser(['admin']);
    const target = await createTestUser(['engineer']);
    const response = await patch(admin.token, target.user.id, { roles: [] });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual({ roles: ['Choose at least one role.'] });
    expect((await db().user.findUniqueOrThrow({ where: { id: target.user.id } })).roles).toEqual(['engineer']);
  });

  it('is refused with 403 for a non-admin, and nothing changes', async () => {
    const engineer = await createTestUser(['engineer']);
    const target = await createTestUser(['viewer']);
    const response = await patch(engineer.token, target.user.id, { roles: ['admin'] });
    expect(response.status).toBe(403);
    expect((await db().user.findUniqueOrThrow({ where: { id: target.user.id } })).roles).toEqual(['viewer']);
    expect(await auditFor(target.user.id, 'user.update')).toHaveLength(0);
  });
});

describe('deactivating and reactivating', () => {
  it('stops the user’s token and password at once; reactivation restores the password, not the revoked token', async () => {
    const admin = await createTestUser(['admin']);
    const password = 'target long password';
    const target = await createTestUser(['engineer'], { password });
    expect((await call(me, { path: '/api/v1/me', token: target.token })).status).toBe(200);

    const deactivated = await patch(admin.token, target.user.id, { active: false });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    const [deactivation] = await auditFor(target.user.id, 'user.deactivate');
    expect(deactivation).toMatchObject({ actorId: admin.user.id, before: { active: true }, after: { active: false } });

    const refused = await call(me, { path: '/api/v1/me', token: target.token });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('unauthorized');
    expect(await verifyCredentials({ email: target.user.email, password, ip })).toBeNull();

    const reactivated = await patch(admin.token, target.user.id, { active: true });
    expect(reactivated.status).toBe(200);
    const [reactivation] = await auditFor(target.user.id, 'user.reactivate');
    expect(reactivation).toMatchObject({ before: { active: false }, after: { active: true } });
    // Deactivation revoked the token for good; the password works again.
    expect((await call(me, { path: '/api/v1/me', token: target.token })).status).toBe(401);
    expect(await verifyCredentials({ email: target.user.email, password, ip })).toMatchObject({ id: target.user.id });
  });

  it('stops a deactivated admin from administering', async () => {
    const admin = await createTestUser(['admin']);
    const other = await createTestUser(['admin']);
    expect((await patch(admin.token, other.user.id, { active: false })).status).toBe(200);
    const victim = await createTestUser(['viewer']);
    expect((await patch(other.token, victim.user.id, { active: false })).status).toBe(401);
    expect((await db().user.findUniqueOrThrow({ where: { id: victim.user.id } })).active).toBe(true);
  });
});

describe('admin lockout rules', () => {
  it('refuses an admin removing their own admin role or deactivating themself (422 self_lockout)', async () => {
    const admin = await createTestUser(['admin']);
    await createTestUser(['admin']); // another admin exists: this is about self-lockout, not the last admin

    for (const body of [{ roles: ['engineer'] }, { active: false }, { roles: ['admin'], active: false }]) {
      const response = await patch(admin.token, admin.user.id, body);
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('self_lockout');
    }
    const stored = await db().user.findUniqueOrThrow({ where: { id: admin.user.id } });
    expect(stored).toMatchObject({ roles: ['admin'], active: true });
    expect(await auditFor(admin.user.id, 'user.update')).toHaveLength(0);

    // Changes that keep them an active admin are fine.
    const kept = await patch(admin.token, admin.user.id, { name: 'Still Admin', roles: ['admin', 'reviewer'] });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ name: 'Still Admin', roles: ['admin', 'reviewer'], active: true });
  });

  it('lets one admin demote another while a second admin remains', async () => {
    await retireAllAdmins();
    const a = await createTestUser(['admin']);
    const b = await createTestUser(['admin']);
    const response = await patch(a.token, b.user.id, { roles: ['viewer'] });
    expect(response.status).toBe(200);
    expect(await activeAdmins()).toBe(1);
    // B is no longer an admin and cannot undo it.
    expect((await patch(b.token, a.user.id, { roles: ['viewer'] })).status).toBe(403);
  });

  it('refuses to demote or deactivate the last active admin (409 last_admin), whoever asks', async () => {
    await retireAllAdmins();
    const a = await createTestUser(['admin']);
    // A deactivated admin does not count as a remaining admin.
    const retired = await createTestUser(['admin']);
    await db().user.update({ where: { id: retired.user.id }, data: { active: false } });
    // The service leaves permissions to the route, so any actor reaches the invariant.
    const engineer = await createTestUser(['engineer']);

    for (const input of [{ active: false }, { roles: ['viewer'] as RoleName[] }]) {
      const error = await appErrorOf(updateUser(engineer.ctx, a.user.id, input));
      expect(error).toMatchObject({ status: 409, code: 'last_admin' });
    }
    expect(await db().user.findUniqueOrThrow({ where: { id: a.user.id } })).toMatchObject({ active: true, roles: ['admin'] });
    expect(await activeAdmins()).toBe(1);

    // Through REST the last admin acting on themself meets self_lockout first.
    expect((await patch(a.token, a.user.id, { roles: ['viewer'] })).body.code).toBe('self_lockout');
  });

  it('refuses an unknown user id with 404 from the service too', async () => {
    const admin = await createTestUser(['admin']);
    const error = await appErrorOf(updateUser(admin.ctx, randomUUID(), { name: 'x' }));
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('two admins demoting each other at the same moment', () => {
  beforeEach(retireAllAdmins);

  // Repeated with fresh users to give the race several chances to go wrong.
  it.each([
    { round: 1, change: { roles: ['viewer'] as RoleName[] } },
    { round: 2, change: { active: false } },
    { round: 3, change: { roles: ['engineer'] as RoleName[] } },
    { round: 4, change: { active: false } },
    { round: 5, change: { roles: ['viewer'] as RoleName[] } },
  ])('round $round: exactly one succeeds and one active admin remains', async ({ change }) => {
    const a = await createTestUser(['admin']);
    const b = await createTestUser(['admin']);
    const results = await Promise.allSettled([updateUser(a.ctx, b.user.id, change), updateUser(b.ctx, a.user.id, change)]);

    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(AppError);
    expect(rejected[0]!.reason).toMatchObject({ status: 409, code: 'last_admin' });
    expect(await activeAdmins()).toBe(1);

    // The audit log records the one change that happened.
    const action = 'active' in change ? 'user.deactivate' : 'user.update';
    const entries = [...(await auditFor(a.user.id, action)), ...(await auditFor(b.user.id, action))];
    expect(entries).toHaveLength(1);
  });
});
