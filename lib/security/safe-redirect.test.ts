import { describe, expect, it } from 'vitest';
import { safeCallbackPath, sameOriginPath } from './safe-redirect';

const ORIGIN = 'https://modeldeck.example.com';

describe('sameOriginPath', () => {
  it.each([
    ['/models', '/models'],
    ['/models/churn?tab=versions#v4', '/models/churn?tab=versions#v4'],
    ['/audit?q=%2F%2Fevil', '/audit?q=%2F%2Fevil'],
    ['https://modeldeck.example.com/releases/1', '/releases/1'],
    ['models', '/models'],
    // Encoded slashes stay encoded in a path: the browser never turns them into a host.
    ['/%5Cevil.example/phish', '/%5Cevil.example/phish'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ])('keeps %j on the origin as %j', (value, expected) => {
    expect(sameOriginPath(value, ORIGIN)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '/\\evil.example/phish',
    '\\/evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '\t//evil.example',
    ' //evil.example',
    'http:evil.example',
    'http://evil.example',
    'https://modeldeck.example.com.evil.example/',
    'https://modeldeck.example.com@evil.example/',
    'http://modeldeck.example.com/',
    'https://modeldeck.example.com:8443/',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '/.//evil.example',
    '/..//evil.example',
    '',
  ])('refuses %j', (value) => {
    expect(sameOriginPath(value, ORIGIN)).toBeNull();
  });

  it('refuses values that are not strings (repeated query parameters, JSON)', () => {
    expect(sameOriginPath(['/a', '//evil.example'], ORIGIN)).toBeNull();
    expect(sameOriginPath(undefined, ORIGIN)).toBeNull();
  });
});

describe('safeCallbackPath', () => {
  it('falls back to / for anything that would leave the site', () => {
    // The reported case: the query string decodes to `/\evil.example/phish`.
    expect(safeCallbackPath(new URLSearchParams('callbackUrl=/%5Cevil.example/phish').get('callbackUrl'))).toBe('/');
    expect(safeCallbackPath('https:evil.example')).toBe('/');
    expect(safeCallbackPath('/releases/7?tab=evidence')).toBe('/releases/7?tab=evidence');
  });
});
