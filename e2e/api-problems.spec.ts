import { expect, test } from '@playwright/test';

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
