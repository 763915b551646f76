import { randomBytes } from 'node:crypto';
import type { Account, User } from 'next-auth';
import { encode, type JWT } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { GET as me } from '@/app/api/v1/me/route';
import { PATCH as patchUser } from '@/app/api/v1/users/[id]/route';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { authOptions } from '@/lib/server/auth/auth-options';
import { changePassword } from '@/lib/server/auth/change-password';
import { signOutEverywhere } from '@/lib/server/auth/sign-out';
import { verifyCredentials } from '@/lib/server/auth/verify-credentials';
import { call, createTestUser } from '../helpers';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';

/** What next-auth does at a password sign-in: the jwt callback, then the encrypted cookie. */
async function signInSession(user: { id: string; email: string; name: string }) {
  const options = authOptions();
  const account: Account = { provider: 'credentials', type: 'credentials', providerAccountId: user.id };
  const nextAuthUser: User = { id: user.id, email: user.email, name: user.name };
  const token = await options.callbacks!.jwt!({ token: { sub: user.id, email: user.email, name: user.name }, user: nextAuthUser, account, trigger: 'signIn' });
  return { token, cookie: await cookieFor(token) };
}

async function cookieFor(token: JWT) {
  return `next-auth.session-token=${await encode({ token, secret: process.env.NEXTAUTH_SECRET! })}`;
}

/** next-auth's sign-out: it calls the signOut event with the decoded token, then clears the cookie. */
async function signOut(token: JWT) {
  await authOptions().events!.signOut!({ token, session: { expires: new Date().toISOString() } });
}

async function meStatus(cookie: string) {
  return (await call(me, { path: '/api/v1/me', headers: { cookie } })).status;
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const audits = (targetId: string, action: string) => db().auditEntry.findMany({ where: { targetId, action }, orderBy: { seq: 'asc' } });

describe('sign-out', () => {
  it('ends the session on the server: the old cookie answers 401 afterwards, and the sign-out is audited once', async () => {
    const { user } = await createTestUser(['viewer']);
    const { token, cookie } = await signInSession(user);
    expect(typeof token.sid).toBe('string');
    expect(await meStatus(cookie)).toBe(200);

    await signOut(token);
    expect(await meStatus(cookie)).toBe(401);
    // Signing out again (a second tab, a replayed request) changes nothing and audits nothing.
    await signOut(token);
    const entries = await audits(user.id, 'auth.sign_out');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: user.id, after: { sessionId: token.sid } });
  });

  it('leaves the user’s other sessions signed in', async () => {
    const { user } = await createTestUser(['viewer']);
    const laptop = await signInSession(user);
    const phone = await signInSession(user);
    await signOut(laptop.token);
    expect(await meStatus(laptop.cookie)).toBe(401);
    expect(await meStatus(phone.cookie)).toBe(200);
  });

  it('treats a session JWT without a server-side session (issued before this release, or forged ids) as signed out', async () => {
    const { user } = await createTestUser(['viewer']);
    expect(await meStatus(await cookieFor({ sub: user.id, uid: user.id }))).toBe(401);
    expect(await meStatus(await cookieFor({ sub: user.id, uid: user.id, sid: crypto.randomUUID() }))).toBe(401);
  });
});

describe('sign out everywhere', () => {
  it('ends every session of the caller and no one else’s, audited with the count', async () => {
    const alice = await createTestUser(['engineer']);
    const bob = await createTestUser(['engineer']);
    const aliceSessions = [await signInSession(alice.user), await signInSession(alice.user)];
    const bobSession = await signInSession(bob.user);

    expect(await signOutEverywhere(alice.ctx)).toEqual({ sessionsEnded: 2 });
    for (const session of aliceSessions) expect(await meStatus(session.cookie)).toBe(401);
    expect(await meStatus(bobSession.cookie)).toBe(200);
    // API tokens are not sessions: they keep working (revoked separately).
    expect((await call(me, { path: '/api/v1/me', token: alice.token })).status).toBe(200);
    const [entry] = await audits(alice.user.id, 'auth.sign_out_everywhere');
    expect(entry).toMatchObject({ actorId: alice.user.id, after: { sessionsEnded: 2 } });
  });
});

describe('password change', () => {
  it('needs the current password, keeps the session that made the change and ends the others', async () => {
    const { user, ctx } = await createTestUser(['viewer'], { password: PASSWORD });
    const here = await signInSession(user);
    const elsewhere = await signInSession(user);

    const wrong = await appErrorOf(changePassword(ctx, { currentPassword: 'not my password', newPassword: NEW_PASSWORD }, { keepSessionId: here.token.sid }));
    expect(wrong).toMatchObject({ status: 422, code: 'wrong_password', fieldErrors: { currentPassword: [expect.any(String)] } });
    expect(await meStatus(elsewhere.cookie)).toBe(200);

    expect(await changePassword(ctx, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, { keepSessionId: here.token.sid })).toEqual({ sessionsEnded: 1 });
    expect(await meStatus(here.cookie)).toBe(200);
    expect(await meStatus(elsewhere.cookie)).toBe(401);

    const ip = `192.0.2.${randomBytes(1)[0]}`;
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, ip })).toBeNull();
    expect(await verifyCredentials({ email: user.email, password: NEW_PASSWORD, ip })).toMatchObject({ id: user.id });
    const [entry] = await audits(user.id, 'user.change_password');
    expect(entry).toMatchObject({ actorId: user.id, after: { sessionsEnded: 1 } });
    // The audit log never holds a password or a hash.
    expect(JSON.stringify([entry?.before, entry?.after])).not.toMatch(/passphrase|argon2/);
  });

  it('lets one of two concurrent changes from the same current password win', async () => {
    const { user, ctx } = await createTestUser(['viewer'], { password: PASSWORD });
    const results = await Promise.allSettled([
      changePassword(ctx, { currentPassword: PASSWORD, newPassword: `${NEW_PASSWORD} one` }),
      changePassword(ctx, { currentPassword: PASSWORD, newPassword: `${NEW_PASSWORD} two` }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const ip = `192.0.2.${randomBytes(1)[0]}`;
    const winners = await Promise.all(
      ['one', 'two'].map((suffix) => verifyCredentials({ email: user.email, password: `${NEW_PASSWORD} ${suffix}`, ip })),
    );
    expect(winners.filter(Boolean)).toHaveLength(1);
    expect(await audits(user.id, 'user.change_password')).toHaveLength(1);
  });

  it('is refused for SSO-only accounts, which have no password here', async () => {
    const { user, ctx } = await createTestUser(['viewer']);
    await db().user.update({ where: { id: user.id }, data: { passwordHash: null, oidcSubject: `sub-${user.id}` } });
    const error = await appErrorOf(changePassword(ctx, { currentPassword: 'anything at all', newPassword: NEW_PASSWORD }));
    expect(error).toMatchObject({ status: 422, code: 'sso_account' });
  });
});

describe('deactivation', () => {
  it('revokes sessions and API tokens for good: reactivating the user does not bring them back', async () => {
    const admin = await createTestUser(['admin']);
    const target = await createTestUser(['engineer'], { password: PASSWORD });
    const session = await signInSession(target.user);
    expect(await meStatus(session.cookie)).toBe(200);

    const patch = (active: boolean) =>
      call(patchUser, { path: `/api/v1/users/${target.user.id}`, method: 'PATCH', token: admin.token, json: { active }, params: { id: target.user.id } });
    expect((await patch(false)).status).toBe(200);
    const [deactivation] = await audits(target.user.id, 'user.deactivate');
    expect(deactivation).toMatchObject({ after: { active: false, sessionsEnded: 1, tokensRevoked: 1 } });

    expect((await patch(true)).status).toBe(200);
    expect(await meStatus(session.cookie)).toBe(401);
    expect((await call(me, { path: '/api/v1/me', token: target.token })).status).toBe(401);
    expect(await db().apiToken.count({ where: { userId: target.user.id, revokedAt: null } })).toBe(0);

    // A fresh sign-in after reactivation works.
    const again = await signInSession(target.user);
    expect(await meStatus(again.cookie)).toBe(200);
  });
});

describe('redirects after sign-in and sign-out', () => {
  const redirect = (url: string, baseUrl: string) => authOptions().callbacks!.redirect!({ url, baseUrl });

  it('stay on the origin the browser used', async () => {
    expect(await redirect('/models?tab=all', 'http://127.0.0.1:3999')).toBe('http://127.0.0.1:3999/models?tab=all');
    expect(await redirect('http://127.0.0.1:3999/audit', 'http://127.0.0.1:3999')).toBe('http://127.0.0.1:3999/audit');
    expect(await redirect('/signin', 'http://127.0.0.1:3999')).toBe('http://127.0.0.1:3999/signin');
  });

  it.each(['/\\evil.example/phish', '//evil.example', '\\/evil.example', 'https:evil.example', '/\t/evil.example', 'javascript:alert(1)', 'http://localhost:3999/'])(
    'send %j home instead',
    async (url) => {
      expect(await redirect(url, 'http://127.0.0.1:3999')).toBe('http://127.0.0.1:3999');
    },
  );
});

describe('session lifetime', () => {
  it('ends 12 hours after sign-in, however often the JWT was re-issued', async () => {
    const { user } = await createTestUser(['viewer']);
    const { token, cookie } = await signInSession(user);
    expect(await meStatus(cookie)).toBe(200);
    await db().session.update({ where: { id: token.sid! }, data: { createdAt: new Date(Date.now() - 12 * 60 * 60 * 1000 - 1000) } });
    expect(await meStatus(cookie)).toBe(401);
    // The next sign-in clears the expired row away.
    await signInSession(user);
    expect(await db().session.count({ where: { id: token.sid! } })).toBe(0);
  });
});
