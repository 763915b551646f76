import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { authorizeCredentials } from '@/lib/server/auth/auth-options';
import { SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS, SignInRateLimitedError, signInBlocked } from '@/lib/server/auth/sign-in-limits';
import { verifyCredentials } from '@/lib/server/auth/verify-credentials';
import { createTestUser } from '../helpers';

const PASSWORD = 'correct horse battery';

// Every test uses its own e-mails and addresses: the failure counts live in the database
// this file shares between its tests.
const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@test.example`;
let ipCounter = 0;
const uniqueIp = () => `10.${++ipCounter >> 8}.${ipCounter & 255}.1`;

/**
 * A password sign-in as next-auth hands it to the credentials provider: the fields it
 * parsed from the body (form or JSON) and the request headers, X-Forwarded-For as
 * ModelDeck's server leaves it (the socket's peer address last).
 */
function signInAttempt(credentials: Record<string, unknown>, forwardedFor: string) {
  return authorizeCredentials(credentials, { headers: { 'x-forwarded-for': forwardedFor } });
}

async function fail(times: number, email: (i: number) => string, ip: (i: number) => string) {
  for (let i = 0; i < times; i++) {
    expect(await verifyCredentials({ email: email(i), password: 'wrong password!', ip: ip(i) })).toBeNull();
  }
}

async function expectRateLimited(attempt: Promise<unknown>) {
  // next-auth turns the error's message into `error=RateLimited` for the sign-in page.
  await expect(attempt).rejects.toThrow(SignInRateLimitedError);
  await expect(attempt).rejects.toThrow('RateLimited');
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
  it('blocks an e-mail after 10 failures from varying addresses, even for the right password', async () => {
    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('target'), password: PASSWORD });

    await fail(SIGN_IN_MAX_FAILURES - 1, () => user.email, () => uniqueIp());
    expect(await signInBlocked(user.email, uniqueIp())).toBe(false);
    await fail(1, () => user.email.toUpperCase(), () => uniqueIp());
    expect(await signInBlocked(user.email, uniqueIp())).toBe(true);

    // Refused before the password is checked: even the right one gets 429, from a fresh
    // address, whatever the case of the e-mail.
    await expectRateLimited(signInAttempt({ email: user.email, password: PASSWORD }, uniqueIp()));
    await expectRateLimited(signInAttempt({ email: ` ${user.email.toUpperCase()} `, password: PASSWORD }, uniqueIp()));
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
    await expectRateLimited(signInAttempt({ email: user.email, password: PASSWORD }, ip));
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

describe('one limit for every way of sending credentials', () => {
  it('refuses the right password once the account is locked, whichever body format next-auth parsed it from', async () => {
    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('json'), password: PASSWORD });
    // Wrong passwords sent as JSON (next-auth's `json: "true"` variant) are counted.
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      expect(await signInAttempt({ email: user.email, password: `wrong ${i}`, csrfToken: 'x', json: 'true' }, uniqueIp())).toBeNull();
    }
    expect(await db().signInFailure.count({ where: { email: user.email } })).toBe(SIGN_IN_MAX_FAILURES);
    await expectRateLimited(signInAttempt({ email: user.email, password: PASSWORD, csrfToken: 'x', json: 'true' }, uniqueIp()));
    await expectRateLimited(signInAttempt({ email: user.email, password: PASSWORD }, uniqueIp()));
    expect(await db().auditEntry.count({ where: { action: 'auth.sign_in', targetId: user.id } })).toBe(0);
  });

  it('counts a form with a decoy e-mail first against the e-mail next-auth signs in with (the last one)', async () => {
    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('victim'), password: PASSWORD });
    const decoy = uniqueEmail('decoy');
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      // `email=decoy&email=victim`: next-auth keeps the last value, and so does what is counted.
      const fields = Object.fromEntries(new URLSearchParams([['email', decoy], ['email', user.email], ['password', `wrong ${i}`]]));
      expect(await signInAttempt(fields, uniqueIp())).toBeNull();
    }
    expect(await db().signInFailure.count({ where: { email: user.email } })).toBe(SIGN_IN_MAX_FAILURES);
    expect(await db().signInFailure.count({ where: { email: decoy } })).toBe(0);
    await expectRateLimited(signInAttempt({ email: user.email, password: PASSWORD }, uniqueIp()));
  });

  it('checks nothing for fields that are not strings (JSON arrays or objects)', async () => {
    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('shape'), password: PASSWORD });
    expect(await signInAttempt({ email: [uniqueEmail('decoy'), user.email], password: PASSWORD }, uniqueIp())).toBeNull();
    expect(await signInAttempt({ email: { $ne: '' }, password: PASSWORD }, uniqueIp())).toBeNull();
    expect(await signInAttempt({ email: user.email, password: [PASSWORD] }, uniqueIp())).toBeNull();
    expect(await db().auditEntry.count({ where: { action: 'auth.sign_in', targetId: user.id } })).toBe(0);
  });
});

describe('concurrent attempts', () => {
  it('checks exactly 10 of 30 parallel wrong passwords for one account; the other 20 are refused unchecked', async () => {
    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('burst'), password: PASSWORD });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => signInAttempt({ email: user.email, password: `wrong ${i}` }, uniqueIp())),
    );
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === null)).toHaveLength(SIGN_IN_MAX_FAILURES);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(30 - SIGN_IN_MAX_FAILURES);
    for (const r of refused) expect(r.reason).toBeInstanceOf(SignInRateLimitedError);
    expect(await db().signInFailure.count({ where: { email: user.email } })).toBe(SIGN_IN_MAX_FAILURES);
  });

  it('does the same for one address spraying many accounts', async () => {
    const ip = uniqueIp();
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => signInAttempt({ email: uniqueEmail(`spray${i}`), password: 'wrong password!' }, ip)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(SIGN_IN_MAX_FAILURES);
    expect(await db().signInFailure.count({ where: { ip } })).toBe(SIGN_IN_MAX_FAILURES);
  });

  it('does not count a right password: nine failures and a success leave room for more attempts', async () => {
    const { user } = await createTestUser(['viewer'], { email: uniqueEmail('mixed'), password: PASSWORD });
    await fail(SIGN_IN_MAX_FAILURES - 1, () => user.email, () => uniqueIp());
    expect(await signInAttempt({ email: user.email, password: PASSWORD }, uniqueIp())).toMatchObject({ id: user.id });
    expect(await db().signInFailure.count({ where: { email: user.email } })).toBe(SIGN_IN_MAX_FAILURES - 1);
    expect(await signInAttempt({ email: user.email, password: PASSWORD }, uniqueIp())).toMatchObject({ id: user.id });
  });
});

describe('the client address', () => {
  const saved = process.env.TRUSTED_PROXY_HOPS;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRUSTED_PROXY_HOPS;
    else process.env.TRUSTED_PROXY_HOPS = saved;
  });

  it('with TRUSTED_PROXY_HOPS=0 (the default) is the socket peer: X-Forwarded-For entries a client adds change nothing', async () => {
    delete process.env.TRUSTED_PROXY_HOPS;
    const peer = uniqueIp();
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      // Each attempt claims another origin; the server's own entry (last) is what counts.
      expect(await signInAttempt({ email: uniqueEmail('spoof'), password: 'wrong password!' }, `${uniqueIp()}, ${peer}`)).toBeNull();
    }
    expect(await db().signInFailure.count({ where: { ip: peer } })).toBe(SIGN_IN_MAX_FAILURES);
    await expectRateLimited(signInAttempt({ email: uniqueEmail('spoof'), password: 'wrong password!' }, `${uniqueIp()}, ${peer}`));
  });

  it('with TRUSTED_PROXY_HOPS=1 is the address the proxy reported, not the proxy and not what the client wrote', async () => {
    process.env.TRUSTED_PROXY_HOPS = '1';
    const proxy = uniqueIp();
    const client = uniqueIp();
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      const forged = uniqueIp();
      expect(await signInAttempt({ email: uniqueEmail('behind'), password: 'wrong password!' }, `${forged}, ${client}, ${proxy}`)).toBeNull();
    }
    expect(await db().signInFailure.count({ where: { ip: client } })).toBe(SIGN_IN_MAX_FAILURES);
    expect(await db().signInFailure.count({ where: { ip: proxy } })).toBe(0);
    await expectRateLimited(signInAttempt({ email: uniqueEmail('behind'), password: 'wrong password!' }, `${client}, ${proxy}`));
    // Another client behind the same proxy is not blocked.
    expect(await signInAttempt({ email: uniqueEmail('behind'), password: 'wrong password!' }, `${uniqueIp()}, ${proxy}`)).toBeNull();
  });
});
