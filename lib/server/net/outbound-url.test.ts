import { describe, expect, it } from 'vitest';
import { classifyAddress, outboundUrlProblem, redactUrl } from './outbound-url';

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'forbidden'],
    ['169.254.0.1', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['febf::1', 'forbidden'],
    ['fd00:ec2::254', 'forbidden'],
    ['100.100.100.200', 'forbidden'],
    ['::ffff:169.254.169.254', 'forbidden'],
    ['::ffff:a9fe:a9fe', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['127.0.0.1', 'private'],
    ['127.255.255.254', 'private'],
    ['::1', 'private'],
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:7f00:1', 'private'],
    ['64:ff9b::7f00:1', 'private'],
    ['::127.0.0.1', 'private'],
    ['0.0.0.0', 'private'],
    ['::', 'private'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['169.255.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['not-an-ip', 'forbidden'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address).class).toBe(expected);
  });
});

describe('outboundUrlProblem', () => {
  const closed = { allowPrivateNetworks: false };
  const open = { allowPrivateNetworks: true };

  it.each([
    // The WHATWG parser turns these into 127.0.0.1 / 0.0.0.0 / 169.254.169.254 before we judge them.
    ['http://127.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://0/', 'unspecified'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://127.0.0.1./', 'loopback'],
    ['http://10.0.0.1:8080/x', 'private network'],
    ['http://[fc00::1]/', 'private network'],
  ])('refuses %s as %s unless private networks are allowed', (url, kind) => {
    expect(outboundUrlProblem(url, closed)).toContain(kind);
    expect(outboundUrlProblem(url, closed)).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS');
    expect(outboundUrlProblem(url, open)).toBeNull();
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://0xa9fea9fe/',
    'http://[fe80::1]/',
    'http://[fd00:ec2::254]/',
    'http://100.100.100.200/',
    'http://metadata.google.internal/',
    'http://METADATA.google.internal./',
    'http://[::ffff:169.254.169.254]/',
  ])('always refuses %s', (url) => {
    expect(outboundUrlProblem(url, open)).toMatch(/never allowed/);
  });

  it('refuses credentials, other schemes and non-URLs', () => {
    expect(outboundUrlProblem('https://user:secret@example.com/', open)).toMatch(/user name and password/);
    expect(outboundUrlProblem('https://user@example.com/', open)).toMatch(/user name and password/);
    expect(outboundUrlProblem('ftp://example.com/', open)).toMatch(/http/);
    expect(outboundUrlProblem('file:///etc/passwd', open)).toMatch(/http/);
    expect(outboundUrlProblem('not a url', open)).toMatch(/http/);
  });

  it('accepts public addresses and names (names are judged by what they resolve to)', () => {
    for (const url of ['https://ci.example.com/hooks', 'http://8.8.8.8/', 'http://[2606:4700::1111]/', 'http://localhost/']) {
      expect(outboundUrlProblem(url, closed)).toBeNull();
    }
  });
});

describe('redactUrl', () => {
  it('hides a password and leaves other URLs alone', () => {
    expect(redactUrl('https://ci:hunter2@ci.example.com/hook?x=1')).toBe('https://ci:***@ci.example.com/hook?x=1');
    expect(redactUrl('https://ci.example.com/hook')).toBe('https://ci.example.com/hook');
  });
});
