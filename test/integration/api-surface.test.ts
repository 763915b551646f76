import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as catchAllGet, POST as catchAllPost } from '@/app/api/[...slug]/route';
import { GET as exportAudit } from '@/app/api/v1/audit/export/route';
import { GET as listAudit } from '@/app/api/v1/audit/route';
import { GET as listModels } from '@/app/api/v1/models/route';
import { GET as listPromotions } from '@/app/api/v1/promotions/route';
import { POST as createToken, GET as listTokens } from '@/app/api/v1/tokens/route';
import { apiProxyResponse } from '@/lib/server/http/api-fallbacks';
import { db } from '@/lib/db';
import { call, createTestUser } from '../helpers';
import { api } from '../registry-api';

const PROBLEM = 'application/problem+json';
type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let model: string;

beforeAll(async () => {
  admin = await createTestUser(['admin']);
  model = `surface-${randomUUID().slice(0, 8)}`;
  expect((await api.createModel(admin.token, { name: model })).status).toBe(201);
  expect((await api.registerVersion(admin.token, model, {})).status).toBe(201);
});

function expectProblem(response: Awaited<ReturnType<typeof call>>, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toBe(PROBLEM);
  expect(response.body.status).toBe(status);
}

describe('unknown fields named like built-in properties', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('refuses "%s" by name with 422', async (field) => {
    const response = await call(createToken, {
      path: '/api/v1/tokens',
      token: admin.token,
      rawBody: `{"name":"x",${JSON.stringify(field)}:1}`,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 422);
    expect(Object.keys(response.body.errors)).toEqual([field]);
    expect(response.body.errors[field]).toEqual(['Unknown field.']);
  });
});

describe('input PostgreSQL would refuse is a 4xx, not a 500', () => {
  it('refuses a NUL character in a query string and in a body', async () => {
    expectProblem(await call(listModels, { path: '/api/v1/models?q=a%00b', token: admin.token }), 422);
    expectProblem(await call(listAudit, { path: '/api/v1/audit?actor=a%00b', token: admin.token }), 422);
    const created = await api.createModel(admin.token, { name: `nul-${randomUUID().slice(0, 8)}`, description: 'a\u0000b' });
    expectProblem(created, 422);
    expect(created.body.errors.description[0]).toMatch(/NUL/);
  });

  it('refuses lone surrogates in comments and descriptions', async () => {
    const request = await api.requestPromotion(admin.token, model, 1, { environment: 'development', note: 'half a \ud83d emoji' });
    expectProblem(request, 422);
    expect(request.body.errors.note[0]).toMatch(/lone surrogate/);
    const created = await call(createToken, {
      path: '/api/v1/tokens',
      token: admin.token,
      rawBody: '{"name":"x\\udc00y"}',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(created, 422);
  });

  it('bounds version numbers at 2^31-1', async () => {
    // A version in the path names nothing that exists: 404, like any malformed id there.
    expectProblem(await api.getVersion(admin.token, model, 2147483648), 404);
    expectProblem(await api.getVersion(admin.token, model, 2147483647), 404);
    const registered = await api.registerVersion(admin.token, model, { parentVersion: 2147483648 });
    expectProblem(registered, 422);
    expect(registered.body.errors.parentVersion).toEqual([expect.stringContaining('2147483647')]);
  });

  it('refuses dates PostgreSQL cannot store, in filters and cursors', async () => {
    expectProblem(await call(listAudit, { path: '/api/v1/audit?from=0000-01-01T00:00:00Z', token: admin.token }), 422);
    expectProblem(await call(listAudit, { path: '/api/v1/audit?to=%2B275760-09-13T00:00:00Z', token: admin.token }), 422);
    const cursor = encodeURIComponent(`-100000-01-01T00:00:00.000Z|${randomUUID()}`);
    const page = await call(listPromotions, { path: `/api/v1/promotions?cursor=${cursor}`, token: admin.token });
    expectProblem(page, 400);
    expect(page.body.code).toBe('invalid_cursor');
  });

  it('validates an audit export before streaming: a bad filter is a problem, not a CSV cut off mid-stream', async () => {
    const response = await call(exportAudit, { path: '/api/v1/audit/export?from=0000-01-01T00:00:00Z', token: admin.token });
    expectProblem(response, 422);
    expect(response.body.errors.from).toEqual([expect.stringMatching(/1970/)]);
    const fine = await call(exportAudit, { path: '/api/v1/audit/export?from=1970-01-01T00:00:00Z', token: admin.token });
    expect(fine.status).toBe(200);
    expect(fine.text.startsWith('seq,at,')).toBe(true);
  });
});

describe('/api speaks problem+json everywhere', () => {
  it('answers unknown paths with 404 problem+json, whatever the method', async () => {
    for (const [handler, method] of [
      [catchAllGet, 'GET'],
      [catchAllPost, 'POST'],
    ] as const) {
      const response = await call(handler, { path: '/api/v1/nope', method, params: { slug: ['v1', 'nope'] } as never });
      expectProblem(response, 404);
      expect(response.body.detail).toContain('/api/v1/nope');
      expect(response.body.detail).toContain('/api/v1/openapi.json');
    }
  });

  it('gives the proxy a 405 problem+json for methods Next.js does not route, naming the allowed ones', async () => {
    const propfind = apiProxyResponse(new Request('http://localhost/api/v1/tokens', { method: 'PROPFIND' }))!;
    expect(propfind.status).toBe(405);
    expect(propfind.headers.get('content-type')).toBe(PROBLEM);
    expect(propfind.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    expect(await propfind.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
    const templated = apiProxyResponse(new Request(`http://localhost/api/v1/users/${randomUUID()}`, { method: 'PURGE' }))!;
    expect(templated.headers.get('allow')).toBe('OPTIONS, PATCH');
    expect(apiProxyResponse(new Request('http://localhost/api/v1/tokens', { method: 'GET' }))).toBeUndefined();
    expect(apiProxyResponse(new Request('http://localhost/models', { method: 'PROPFIND' }))).toBeUndefined();
  });

  it('echoes a safe x-request-id and replaces anything else, in successes, problems and the audit log', async () => {
    const ok = await call(listTokens, { path: '/api/v1/tokens', token: admin.token, headers: { 'x-request-id': 'ci-run.42:step_7' } });
    expect(ok.headers.get('x-request-id')).toBe('ci-run.42:step_7');
    const problem = await call(listTokens, { path: '/api/v1/tokens', headers: { 'x-request-id': 'ci-run.42' } });
    expect(problem.body.requestId).toBe('ci-run.42');

    for (const offered of ['<script>alert(1)</script>', 'x'.repeat(65), 'a b', 'line\tbreak']) {
      const response = await call(createToken, {
        path: '/api/v1/tokens',
        token: admin.token,
        json: { name: `rid-${randomUUID().slice(0, 6)}` },
        headers: { 'x-request-id': offered },
      });
      expect(response.status).toBe(201);
      const echoed = response.headers.get('x-request-id')!;
      expect(echoed).not.toBe(offered);
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      const entry = await db().auditEntry.findFirst({ where: { targetId: response.body.apiToken.id } });
      expect(entry?.requestId).toBe(echoed);
    }
  });
});
