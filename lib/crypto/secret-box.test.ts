import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './secret-box';

describe('secret box', () => {
  const saved = process.env.MODELDECK_ENCRYPTION_KEY;
  beforeEach(() => {
    process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  });
  afterEach(() => {
    process.env.MODELDECK_ENCRYPTION_KEY = saved;
  });

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealed = sealSecret('model-server-token-123', 'environment:abc');
    expect(sealed).not.toContain('model-server-token-123');
    expect(sealed).not.toBe(sealSecret('model-server-token-123', 'environment:abc'));
    expect(openSecret(sealed, 'environment:abc')).toBe('model-server-token-123');
  });

  it('refuses a value moved to another context or altered', () => {
    const sealed = sealSecret('s3cret', 'environment:abc');
    expect(() => openSecret(sealed, 'environment:other')).toThrow(/cannot be decrypted/);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x'.repeat(6)).toString('base64url');
    expect(() => openSecret(parts.join('.'), 'environment:abc')).toThrow(/cannot be decrypted/);
  });

  it('refuses after the key changed, and explains a missing or short key', () => {
    const sealed = sealSecret('s3cret', 'c');
    process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('hex');
    expect(() => openSecret(sealed, 'c')).toThrow(/MODELDECK_ENCRYPTION_KEY changed/);
    process.env.MODELDECK_ENCRYPTION_KEY = '';
    expect(() => sealSecret('s', 'c')).toThrow(/MODELDECK_ENCRYPTION_KEY is not set/);
    process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(16).toString('base64');
    expect(() => sealSecret('s', 'c')).toThrow(/must be 32 bytes/);
  });
});
