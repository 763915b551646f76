import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createNonce } from './headers';

describe('contentSecurityPolicy', () => {
  it('allows scripts only with the nonce, and no framing', () => {
    const nonce = createNonce();
    const policy = contentSecurityPolicy({ nonce });
    const directives = new Map(policy.split('; ').map((d) => [d.split(' ')[0], d]));
    expect(directives.get('default-src')).toBe("default-src 'self'");
    expect(directives.get('script-src')).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(directives.get('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directives.get('object-src')).toBe("object-src 'none'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).not.toMatch(/unsafe-eval/);
  });

  it('uses a fresh, unguessable nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
