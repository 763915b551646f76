import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { POST as nextAuthPost } from '@/app/api/auth/[...nextauth]/route';
import { db } from '@/lib/db';
import { SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS, signInBlocked } from '@/lib/server/auth/sign-in-limits';
import { verifyCredentials } from '@/lib/server/auth/verify-credentials';
import { createTestUser } from '../helpers';

const PASSWORD = 'correct horse battery';

// Every test uses its own e-mails and addresses: the failure counts live in the database
// this file shares between its tests.
const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@test.example`;
let ipCounter = 0;
const uniqueIp = () => `10.${++ipCounter >> 8}.${ipCounter & 255}.1`;

/** The credentials sign-in POST as the next-auth client sends it. */
async function postSignIn(email: string, password: string, ip: string) {
  const request = new Request('http://localhost/api/auth/callback/credentials', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: new URLSearchParams({ email, password, csrfToken: 'x' }).toString(),
  });
  const response = await nextAuthPost(request, { params: Promise.resolve({ nextauth: ['callback', 'credentials'] }) });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}

async function fail(times: number, email: (i: number) => string, ip: (i: number) => string) {
  for (let i = 0; i < times; i++) {
    expect(await verifyCredentials({ email: email(i), password: 'wrong password!', ip: ip(i) })).toBeNull();
  }
}

function expectRateLimited(response: Awaited<ReturnType<typeof postSignIn>>) {
  expect(response.status).toBe(429);
  expect(response.contentType).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status: 429, code: 'too_many_requests', requestId: expect.any(String) });
  expect(response.body.detail).toMatch(/15 minutes/);
  // next-auth's client reads `url` and shows the sign-in page's RateLimited message.
  const url = new URL(response.body.url);
  expect(url.origin).toBe('http://localhost');
  expect(url.pathname).toBe('/signin');
  expect(url.searchParams.get('error')).toBe('RateLimited');
}

describe('verifyCredentials', () => {
  it('returns the user for the right password, with e-mail case and spaces ignored', async () => {
    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('right'), password: PASSWORD });
    const result = await verifyCredentials({ email: `  ${user.email.toUpperCase()} `, password: PASSWORD, ip: '192.0.2.1' });
    // Exactly what the session needs: no hash, no roles.
    expect(result).toEqual({ id: user.id, email: user.email, name: user.name });
  });

  it('writes an auth.sign_in audit entry and sets lastLoginAt on success', async () => {
    const { user } = await createTestUser(['engineer'], { email: uniqueEmail('audited'), password: PASSWORD });
    expect(user.lastLoginAt).toBeNull();
    const before = Date.now();
    await verifyCredentials({ email: user.email, password: PASSWORD, ip: '192.0.2.55' });

    const stored = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lastLoginAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const entries = await db().auditEntry.findMany({ where: { action: 'auth.sign_in', targetId: user.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: user.id,
      actorEmail: user.email,
      targetType: 'user',
      after: { method: 'password', ip: '192.0.2.55' },
    });
  });

  it('answers null alike for an unknown e-mail, a wrong password and a deactivated account, and counts each as a failure', async () => {
    const known = await createTestUser(['viewer'], { email: uniqueEmail('known'), password: PASSWORD });
    const deactivated = await createTestUser(['viewer'], { email: uniqueEmail('gone'), password: PASSWORD });
    await db().user.update({ where: { id: deactivated.user.id }, data: { active: false } });
    // An SSO-only account has no password hash: no password may open it.
    const sso = await createTestUser(['viewer'], { email: uniqueEmail('sso') });
    await db().user.update({ where: { id: sso.user.id }, data: { passwordHash: null, oidcSubject: `sub-${sso.user.id}` } });
    const ip = uniqueIp();

    const attempts = [
      { email: uniqueEmail('nobody'), password: PASSWORD },
      { email: known.user.email, password: 'not the password' },
      { email: deactivated.user.email, password: PASSWORD },
      { email: sso.user.email, password: '' },
    ];
    for (const attempt of attempts) expect(await verifyCredentials({ ...attempt, ip })).toBeNull();

    const failures = await db().signInFailure.findMany({ where: { ip }, orderBy: { id: 'asc' } });
    expect(failures.map((f) => f.email)).toEqual(attempts.map((a) => a.email));
    // None of them signed in.
    const ids = [known.user.id, deactivated.user.id, sso.user.id];
    expect(await db().auditEntry.count({ where: { action: 'auth.sign_in', targetId: { in: ids } } })).toBe(0);
    expect(await db().user.count({ where: { id: { in: ids }, lastLoginAt: { not: null } } })).toBe(0);
  });
});

describe('rate limiting by account', () => {
  it('blocks an e-mail after 10 failures from varying addresses, and the sign-in POST answers 429', async () => {
    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('target'), password: PASSWORD });

    await fail(SIGN_IN_MAX_FAILURES - 1, () => user.email, () => uniqueIp());
    expect(await signInBlocked(user.email, uniqueIp())).toBe(false);
    await fail(1, () => user.email.toUpperCase(), () => uniqueIp());
    expect(await signInBlocked(user.email, uniqueIp())).toBe(true);

    // Refused before the password is checked: even the right one gets 429, from a fresh
    // address, whatever the case of the e-mail.
    expectRateLimited(await postSignIn(user.email, PASSWORD, uniqueIp()));
    expectRateLimited(await postSignIn(` ${user.email.toUpperCase()} `, PASSWORD, uniqueIp()));
    expect(await db().auditEntry.count({ where: { action: 'auth.sign_in', targetId: user.id } })).toBe(0);
  });

  it('does not block other accounts', async () => {
    const blocked = uniqueEmail('blocked');
    await fail(SIGN_IN_MAX_FAILURES, () => blocked, () => uniqueIp());
    expect(await signInBlocked(blocked, uniqueIp())).toBe(true);
    expect(await signInBlocked(uniqueEmail('bystander'), uniqueIp())).toBe(false);
  });
});

describe('rate limiting by client address', () => {
  it('blocks an address after 10 failures across different e-mails, for any e-mail', async () => {
    const ip = uniqueIp();
    await fail(SIGN_IN_MAX_FAILURES - 1, (i) => uniqueEmail(`spray${i}`), () => ip);
    expect(await signInBlocked(uniqueEmail('next'), ip)).toBe(false);
    await fail(1, () => uniqueEmail('spray-last'), () => ip);
    expect(await signInBlocked(uniqueEmail('next'), ip)).toBe(true);

    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('innocent'), password: PASSWORD });
    expectRateLimited(await postSignIn(user.email, PASSWORD, ip));
    // The same account from another address is not limited.
    expect(await signInBlocked(user.email, uniqueIp())).toBe(false);
  });
});

describe('the 15-minute window', () => {
  it('ignores failures older than 15 minutes', async () => {
    const email = uniqueEmail('old');
    const ip = uniqueIp();
    const old = new Date(Date.now() - SIGN_IN_WINDOW_MS - 60_000);
    await db().signInFailure.createMany({ data: Array.from({ length: 25 }, () => ({ email, ip, createdAt: old })) });
    expect(await signInBlocked(email, ip)).toBe(false);

    // Nine recent ones are still not enough; the tenth recent one is.
    const recent = new Date(Date.now() - SIGN_IN_WINDOW_MS + 60_000);
    await db().signInFailure.createMany({ data: Array.from({ length: 9 }, () => ({ email, ip, createdAt: recent })) });
    expect(await signInBlocked(email, ip)).toBe(false);
    await db().signInFailure.create({ data: { email, ip, createdAt: recent } });
    expect(await signInBlocked(email, ip)).toBe(true);
    expect(await signInBlocked(email, uniqueIp())).toBe(true);
    expect(await signInBlocked(uniqueEmail('other'), ip)).toBe(true);
  });
});
