import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './sign-payload';

const secret = 'test-secret-abc';
const body = JSON.stringify({ id: 'e1', event: 'release.live', data: { model: 'churn', version: 3 } });
const now = Date.parse('2026-06-01T12:00:00Z');
const t = Math.floor(now / 1000);

describe('signPayload', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });
});

describe('verifySignature', () => {
  const header = signPayload(secret, body, t);

  it('accepts the signature of the body with the right secret', () => {
    expect(verifySignature(secret, body, header, 300, now)).toBe(true);
    // A few seconds of clock skew either way is fine.
    expect(verifySignature(secret, body, header, 300, now + 299_000)).toBe(true);
    expect(verifySignature(secret, body, header, 300, now - 299_000)).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifySignature(secret, body.replace('"version":3', '"version":4'), header, 300, now)).toBe(false);
    expect(verifySignature(secret, `${body} `, header, 300, now)).toBe(false);
  });

  it('rejects the wrong secret', () => {
    expect(verifySignature('another-secret', body, header, 300, now)).toBe(false);
  });

  it('rejects an old (replayed) or future timestamp beyond the tolerance', () => {
    expect(verifySignature(secret, body, header, 300, now + 301_000)).toBe(false);
    expect(verifySignature(secret, body, header, 300, now - 301_000)).toBe(false);
    expect(verifySignature(secret, body, header, 60, now + 61_000)).toBe(false);
  });

  it('rejects a re-timestamped header (the timestamp is signed too)', () => {
    const mac = header.split('v1=')[1];
    expect(verifySignature(secret, body, `t=${t + 10},v1=${mac}`, 300, now)).toBe(false);
  });

  it('rejects malformed headers', () => {
    for (const bad of ['', 'garbage', `t=${t}`, `v1=${header.split('v1=')[1]}`, `t=abc,v1=00`, `t=${t},v1=zz`, `t=${t},v1=`]) {
      expect(verifySignature(secret, body, bad, 300, now), bad).toBe(false);
    }
  });
});
