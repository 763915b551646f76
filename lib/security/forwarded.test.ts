import { describe, expect, it } from 'vitest';
import { clientAddress, normaliseForwardedHeaders, servedOverHttps, trustedProxyHops } from './forwarded';

/** What the app sees after ModelDeck's server handled a request with these headers. */
function throughServer(headers: Record<string, string>, peer: string, hops: number, encrypted = false) {
  const copy: Record<string, string | string[] | undefined> = { ...headers };
  normaliseForwardedHeaders(copy, { remoteAddress: peer, encrypted }, hops);
  return copy;
}

describe('the client address with no trusted proxy (TRUSTED_PROXY_HOPS=0)', () => {
  it('is the socket peer, whatever X-Forwarded-For the client sent', () => {
    const seen = throughServer({ 'x-forwarded-for': '203.0.113.7, 198.51.100.2' }, '192.0.2.10', 0);
    expect(seen['x-forwarded-for']).toBe('192.0.2.10');
    expect(clientAddress(seen, 0)).toBe('192.0.2.10');
  });

  it('ignores the scheme and host a client claims', () => {
    const seen = throughServer({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', host: '127.0.0.1:3999' }, '192.0.2.10', 0);
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBeUndefined();
    expect(servedOverHttps(seen, { hops: 0, publicUrl: '' })).toBe(false);
    expect(throughServer({}, '192.0.2.10', 0, true)['x-forwarded-proto']).toBe('https');
  });
});

describe('the client address behind trusted proxies', () => {
  it('with one hop is the address the proxy appended, not what the client wrote before it', () => {
    // The client forged an entry; the proxy (192.0.2.1) appended the real client address.
    const seen = throughServer({ 'x-forwarded-for': '203.0.113.7, 198.51.100.20' }, '192.0.2.1', 1);
    expect(seen['x-forwarded-for']).toBe('203.0.113.7, 198.51.100.20, 192.0.2.1');
    expect(clientAddress(seen, 1)).toBe('198.51.100.20');
  });

  it('with two hops skips both proxies', () => {
    const seen = throughServer({ 'x-forwarded-for': 'forged, 198.51.100.20, 10.0.0.5' }, '10.0.0.6', 2);
    expect(clientAddress(seen, 2)).toBe('198.51.100.20');
  });

  it('falls back to the leftmost entry when a request skipped the proxy', () => {
    expect(clientAddress(throughServer({}, '192.0.2.10', 1), 1)).toBe('192.0.2.10');
  });

  it('believes X-Forwarded-Proto from the proxy for HSTS', () => {
    expect(servedOverHttps({ 'x-forwarded-proto': 'https' }, { hops: 1, publicUrl: '' })).toBe(true);
    expect(servedOverHttps({ 'x-forwarded-proto': 'http' }, { hops: 1, publicUrl: '' })).toBe(false);
    expect(servedOverHttps({}, { hops: 0, publicUrl: 'https://modeldeck.example.com' })).toBe(true);
  });
});

describe('trustedProxyHops', () => {
  it('defaults to 0 and refuses what is not a whole number', () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops('')).toBe(0);
    expect(trustedProxyHops('2')).toBe(2);
    expect(() => trustedProxyHops('-1')).toThrow(/TRUSTED_PROXY_HOPS/);
    expect(() => trustedProxyHops('one')).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
