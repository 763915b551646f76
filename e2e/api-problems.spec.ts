import { connect } from 'node:net';
import { expect, test } from '@playwright/test';
import { E2E } from './support/environment';

// Against the real Next.js server: paths and methods no route handler declares still answer
// problem+json (the catch-all and the 405 handlers), not the HTML not-found page or an empty 405.

test('an unknown /api path answers 404 problem+json', async ({ request }) => {
  for (const path of ['/api/v1/nope', '/api/nope/deeper', '/api/v1/models/churn-predictor/nope']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(response.headers()['content-type']).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, code: 'not_found' });
  }
  expect((await request.post('/api/v1/nope', { data: {} })).status()).toBe(404);
});

test('a wrong method answers 405 problem+json with Allow', async ({ request }) => {
  const response = await request.delete('/api/v1/me');
  expect(response.status()).toBe(405);
  expect(response.headers()['content-type']).toBe('application/problem+json');
  expect(response.headers()['allow']).toBe('GET, HEAD, OPTIONS');
  expect(await response.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
});

test('x-request-id is echoed only when it is a short safe token', async ({ request }) => {
  const safe = await request.get('/api/v1/nope', { headers: { 'x-request-id': 'trace-1.2:3' } });
  expect(safe.headers()['x-request-id']).toBe('trace-1.2:3');
  const unsafe = await request.get('/api/v1/nope', { headers: { 'x-request-id': '<img src=x onerror=alert(1)>' } });
  expect(unsafe.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

/** One request over a raw socket: HTTP clients refuse to send TRACE or CONNECT themselves. */
async function rawRequest(method: string, target: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(E2E.port, 'localhost', () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: localhost:${E2E.port}\r\nConnection: close\r\n\r\n`);
    });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

test('TRACE, TRACK and CONNECT under /api answer 405 problem+json with Allow and the security headers', async () => {
  for (const method of ['TRACE', 'TRACK', 'CONNECT']) {
    const response = await rawRequest(method, '/api/v1/me');
    expect(response.status, method).toBe(405);
    expect(response.headers['content-type'], method).toBe('application/problem+json');
    expect(response.headers['allow'], method).toBe('GET, HEAD, OPTIONS');
    expect(response.headers['x-content-type-options'], method).toBe('nosniff');
    expect(response.headers['content-security-policy'], method).toContain("default-src 'self'");
    expect(JSON.parse(response.body), method).toMatchObject({ status: 405, code: 'method_not_allowed' });
  }
});

test('other methods no route declares (PROPFIND, PURGE) answer 405 problem+json with Allow and the security headers', async ({ request }) => {
  const propfind = await request.fetch('/api/v1/tokens', { method: 'PROPFIND' });
  expect(propfind.status()).toBe(405);
  expect(propfind.headers()['content-type']).toBe('application/problem+json');
  expect(propfind.headers()['allow']).toBe('GET, HEAD, OPTIONS, POST');
  expect(propfind.headers()['x-content-type-options']).toBe('nosniff');
  expect(propfind.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(await propfind.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
  const purge = await request.fetch('/api/v1/nope', { method: 'PURGE' });
  expect(purge.status()).toBe(405);
  expect(purge.headers()['content-type']).toBe('application/problem+json');
});
