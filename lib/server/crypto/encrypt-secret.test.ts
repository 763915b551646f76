import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './encrypt-secret';

describe('encryptSecret / decryptSecret', () => {
  const original = process.env.MODELDECK_ENCRYPTION_KEY;
  beforeEach(() => {
    process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  });
  afterEach(() => {
    process.env.MODELDECK_ENCRYPTION_KEY = original;
  });

  it('round-trips and never shows the plain text', () => {
    const sealed = encryptSecret('-----BEGIN PRIVATE KEY-----\nsecret');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('secret');
    expect(decryptSecret(sealed)).toBe('-----BEGIN PRIVATE KEY-----\nsecret');
    expect(encryptSecret('same')).not.toBe(encryptSecret('same'));
  });

  it('refuses a ciphertext that was altered', () => {
    const [v, iv, tag, ct] = encryptSecret('payload').split(':');
    const flipped = Buffer.from(ct!, 'base64');
    flipped[0]! ^= 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString('base64')].join(':'))).toThrow(/cannot be decrypted/);
  });

  it('says which setting is wrong', () => {
    const sealed = encryptSecret('payload');
    process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    expect(() => decryptSecret(sealed)).toThrow(/not the key it was sealed with/);
    delete process.env.MODELDECK_ENCRYPTION_KEY;
    expect(() => encryptSecret('x')).toThrow(/MODELDECK_ENCRYPTION_KEY is not set/);
    process.env.MODELDECK_ENCRYPTION_KEY = 'short';
    expect(() => encryptSecret('x')).toThrow(/32 bytes/);
  });
});
