import { describe, expect, it } from 'vitest';
import { compilesWasm, contentSecurityPolicy, createNonce } from './headers';

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

  it("allows compiling WebAssembly ('wasm-unsafe-eval', not 'unsafe-eval') only on the Try-it pages", () => {
    const nonce = createNonce();
    const policy = contentSecurityPolicy({ nonce, wasm: true });
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'`);
    expect(policy).not.toMatch(/'unsafe-eval'/);
    expect(compilesWasm('/models/churn-predictor/versions/5/try')).toBe(true);
    expect(compilesWasm('/models/churn-predictor/versions/5')).toBe(false);
    expect(compilesWasm('/models/churn-predictor/versions/5/try/more')).toBe(false);
    expect(compilesWasm('/api/v1/models/churn-predictor/versions/5/try')).toBe(false);
  });
});
