import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { GET as listAudit } from '@/app/api/v1/audit/route';
import { GET as me } from '@/app/api/v1/me/route';
import { PATCH as updateUser } from '@/app/api/v1/users/[id]/route';
import { GET as listUsers, POST as createUser } from '@/app/api/v1/users/route';
import { defineEndpoint } from '@/lib/api/contract';
import type { RoleName } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { MAX_JSON_BODY_BYTES } from '@/lib/server/http/read-json-body';
import { route } from '@/lib/server/http/route';
import { createApiToken } from '@/lib/server/tokens/create-api-token';
import { call, createTestUser } from '../helpers';

const PROBLEM = 'application/problem+json';
let counter = 0;
const newUserBody = () => ({ email: `new-${++counter}-${randomUUID().slice(0, 8)}@test.example`, name: 'New Person', roles: ['viewer'] });

/** Every problem response carries the same envelope, whatever went wrong. */
function expectProblem(response: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe(PROBLEM);
  expect(response.body).toMatchObject({ status, code, type: `urn:modeldeck:problem:${code}` });
  expect(typeof response.body.title).toBe('string');
  expect(response.body.detail).toEqual(expect.any(String));
  expect(response.body.detail.length).toBeGreaterThan(0);
  expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
}

/** A POST /api/v1/users request with a raw body, for the body-reading failures. */
function postRaw(token: string, body: BodyInit | null, headers: Record<string, string> = {}) {
  const request = new Request('http://localhost/api/v1/users', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return createUser(request, { params: Promise.resolve({}) });
}

/** A JSON text of exactly `bytes` bytes that is a create-user body with a (too) long name. */
function jsonOfSize(bytes: number): string {
  const skeleton = JSON.stringify({ email: 'big@test.example', name: '', roles: ['viewer'] });
  return skeleton.replace('"name":""', `"name":"${'x'.repeat(bytes - skeleton.length)}"`);
}

describe('credentials', () => {
  it('refuses a request without credentials with 401 problem+json', async () => {
    const response = await call(createUser, { path: '/api/v1/users', json: newUserBody() });
    expectProblem(response, 401, 'unauthorized');
    expect(response.body.detail).toMatch(/Bearer/);
    expect(await db().user.count({ where: { name: 'New Person' } })).toBe(0);
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer two words', 'Token mdk_abc'])(
    'refuses a malformed Authorization header (%j) with 401',
    async (authorization) => {
      const response = await call(listUsers, { path: '/api/v1/users', headers: { authorization } });
      expectProblem(response, 401, 'unauthorized');
      expect(response.body.detail).toMatch(/must be "Bearer <token>"/);
    },
  );

  it('accepts the Bearer scheme case-insensitively', async () => {
    const admin = await createTestUser(['admin']);
    const response = await call(listUsers, { path: '/api/v1/users', headers: { authorization: `bearer ${admin.token}` } });
    expect(response.status).toBe(200);
  });

  it('refuses unknown, revoked and expired tokens with 401', async () => {
    const admin = await createTestUser(['admin']);
    const unknown = await call(listUsers, { path: '/api/v1/users', token: `mdk_${randomUUID()}` });
    expectProblem(unknown, 401, 'unauthorized');
    expect(unknown.body.detail).toMatch(/invalid, expired or revoked/);

    const revoked = await createApiToken({ userId: admin.user.id, input: { name: 'revoked' }, actor: null });
    expect((await call(listUsers, { path: '/api/v1/users', token: revoked.token })).status).toBe(200);
    await db().apiToken.update({ where: { id: revoked.apiToken.id }, data: { revokedAt: new Date() } });
    expectProblem(await call(listUsers, { path: '/api/v1/users', token: revoked.token }), 401, 'unauthorized');

    const expired = await createApiToken({ userId: admin.user.id, input: { name: 'expired' }, actor: null });
    await db().apiToken.update({ where: { id: expired.apiToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expectProblem(await call(listUsers, { path: '/api/v1/users', token: expired.token }), 401, 'unauthorized');
  });

  it('checks credentials before looking at the path, so a bad id does not reveal anything', async () => {
    const response = await call(updateUser, { path: '/api/v1/users/nope', method: 'PATCH', json: { name: 'x' }, params: { id: 'nope' } });
    expectProblem(response, 401, 'unauthorized');
  });
});

describe('permissions', () => {
  const nonAdmins: RoleName[] = ['viewer', 'manager', 'engineer', 'reviewer'];

  it.each(nonAdmins)('refuses role %s with 403 on GET and POST /api/v1/users', async (role) => {
    const { token } = await createTestUser([role]);
    const listed = await call(listUsers, { path: '/api/v1/users', token });
    expectProblem(listed, 403, 'forbidden');
    expect(listed.body.detail).toContain('users:manage');

    const body = newUserBody();
    expectProblem(await call(createUser, { path: '/api/v1/users', token, json: body }), 403, 'forbidden');
    expect(await db().user.findUnique({ where: { email: body.email } })).toBeNull();
  });

  it('lets an admin create a user (201) and list users', async () => {
    const admin = await createTestUser(['admin']);
    const body = { email: 'Mixed.Case@Test.Example', name: '  Trimmed Name ', roles: ['engineer', 'reviewer'] };
    const created = await call(createUser, { path: '/api/v1/users', token: admin.token, json: body });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.body.user).toEqual({
      id: expect.any(String),
      email: 'mixed.case@test.example',
      name: 'Trimmed Name',
      roles: ['engineer', 'reviewer'],
      active: true,
      sso: false,
      createdAt: expect.any(String),
      lastLoginAt: null,
    });
    // Nothing about the password hash ever leaves the server.
    expect(created.text).not.toMatch(/argon2|passwordHash/);

    const listed = await call(listUsers, { path: '/api/v1/users', token: admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((u: { email: string }) => u.email)).toContain('mixed.case@test.example');
    expect(listed.text).not.toMatch(/argon2|passwordHash/);
  });

  it('answers 409 email_taken for an e-mail that exists, whatever its case', async () => {
    const admin = await createTestUser(['admin']);
    const body = newUserBody();
    expect((await call(createUser, { path: '/api/v1/users', token: admin.token, json: body })).status).toBe(201);
    const again = await call(createUser, { path: '/api/v1/users', token: admin.token, json: { ...body, email: body.email.toUpperCase() } });
    expectProblem(again, 409, 'email_taken');
    expect(again.body.detail).toContain(body.email);
    expect(await db().user.count({ where: { email: body.email } })).toBe(1);
  });
});

describe('request bodies', () => {
  it('answers 400 malformed_json for invalid JSON', async () => {
    const { token } = await createTestUser(['admin']);
    const response = await call(createUser, {
      path: '/api/v1/users',
      token,
      rawBody: '{"email": "a@b.example",',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 400, 'malformed_json');
    expect(response.body.detail).toMatch(/not valid JSON/);
  });

  it('answers 400 empty_body for a missing, empty or blank body', async () => {
    const { token } = await createTestUser(['admin']);
    for (const body of [null, '', '  \n ']) {
      const response = await postRaw(token, body);
      expect(response.status).toBe(400);
      expect((await response.json()).code).toBe('empty_body');
    }
  });

  it('answers 415 for a body that is not declared as JSON, and accepts JSON with parameters or a +json type', async () => {
    const { token } = await createTestUser(['admin']);
    const plain = await call(createUser, {
      path: '/api/v1/users',
      token,
      rawBody: JSON.stringify(newUserBody()),
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(plain, 415, 'unsupported_media_type');
    expect(plain.body.detail).toContain('text/plain');

    expect((await postRaw(token, JSON.stringify(newUserBody()), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
    expect((await postRaw(token, JSON.stringify(newUserBody()), { 'content-type': 'application/vnd.api+json' })).status).toBe(201);
  });

  it('reads a body of exactly 10 MB and refuses one byte more with 413', async () => {
    const { token } = await createTestUser(['admin']);
    // Exactly at the cap: read and parsed, then refused by validation (the name is far too long).
    const atLimit = await postRaw(token, jsonOfSize(MAX_JSON_BODY_BYTES));
    expect(atLimit.status).toBe(422);
    expect(Object.keys((await atLimit.json()).errors)).toEqual(['name']);

    const overLimit = await postRaw(token, jsonOfSize(MAX_JSON_BODY_BYTES + 1));
    expect(overLimit.status).toBe(413);
    expect(overLimit.headers.get('content-type')).toBe(PROBLEM);
    expect((await overLimit.json()).code).toBe('payload_too_large');
  });

  it('refuses a body whose Content-Length already says it is too large, without reading it', async () => {
    const { token } = await createTestUser(['admin']);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const response = await postRaw(token, stream, { 'content-length': String(MAX_JSON_BODY_BYTES + 1) });
    expect(response.status).toBe(413);
    // The stream may be primed once by the runtime, but the handler never drains it.
    expect(pulled).toBeLessThanOrEqual(2);
  });

  it('caps the body while streaming when Content-Length lies or is missing', async () => {
    const { token } = await createTestUser(['admin']);
    const big = jsonOfSize(MAX_JSON_BODY_BYTES + 1024);
    const lying = await postRaw(token, big, { 'content-length': '20' });
    expect(lying.status).toBe(413);
    expect((await lying.json()).code).toBe('payload_too_large');

    // An endless body without Content-Length: the reader stops and cancels at the cap.
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = await postRaw(token, endless);
    expect(response.status).toBe(413);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(13);
  });
});

describe('validation errors (422)', () => {
  it('names an unknown field as "Unknown field."', async () => {
    const { token } = await createTestUser(['admin']);
    const response = await call(createUser, { path: '/api/v1/users', token, json: { ...newUserBody(), isAdmin: true, extra: 1 } });
    expectProblem(response, 422, 'validation_failed');
    expect(response.body.errors).toEqual({ isAdmin: ['Unknown field.'], extra: ['Unknown field.'] });
  });

  it('names every field with a wrong type', async () => {
    const { token } = await createTestUser(['admin']);
    const response = await call(createUser, {
      path: '/api/v1/users',
      token,
      json: { email: 5, name: ['x'], roles: 'x', password: 123456789012 },
    });
    expectProblem(response, 422, 'validation_failed');
    expect(Object.keys(response.body.errors).sort()).toEqual(['email', 'name', 'password', 'roles']);
    for (const field of ['email', 'name', 'password', 'roles']) expect(response.body.detail).toContain(`${field}:`);
    expect(response.body.errors.roles).toEqual(['Choose at least one role.']);
  });

  it('names every missing required field', async () => {
    const { token } = await createTestUser(['admin']);
    const response = await call(createUser, { path: '/api/v1/users', token, json: {} });
    expectProblem(response, 422, 'validation_failed');
    expect(Object.keys(response.body.errors).sort()).toEqual(['email', 'name', 'roles']);
  });

  it('keys nested errors by their path, e.g. roles.1', async () => {
    const { token } = await createTestUser(['admin']);
    const response = await call(createUser, { path: '/api/v1/users', token, json: { ...newUserBody(), roles: ['viewer', 'superuser'] } });
    expectProblem(response, 422, 'validation_failed');
    expect(Object.keys(response.body.errors)).toEqual(['roles.1']);
    expect(response.body.errors['roles.1'][0]).toMatch(/viewer/);
  });

  it('reports field rules with their messages (short password, empty roles, bad e-mail)', async () => {
    const { token } = await createTestUser(['admin']);
    const response = await call(createUser, {
      path: '/api/v1/users',
      token,
      json: { email: 'not-an-email', name: 'x', roles: [], password: 'short' },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual({
      email: ['Enter a valid e-mail address.'],
      roles: ['Choose at least one role.'],
      password: ['Passwords need at least 12 characters.'],
    });
  });

  it('reports a body that is not an object under "body"', async () => {
    const { token } = await createTestUser(['admin']);
    for (const json of [[], 'text', null, 42]) {
      const response = await call(createUser, { path: '/api/v1/users', token, json });
      expectProblem(response, 422, 'validation_failed');
      expect(Object.keys(response.body.errors)).toEqual(['body']);
    }
  });
});

describe('PATCH /api/v1/users/{id} path and body', () => {
  it('answers 404 for an id that is not a UUID and for an unknown UUID', async () => {
    const { token } = await createTestUser(['admin']);
    const malformed = await call(updateUser, { path: '/api/v1/users/42', method: 'PATCH', token, json: { name: 'x' }, params: { id: '42' } });
    expectProblem(malformed, 404, 'not_found');
    expect(malformed.body.errors).toBeUndefined();

    const id = randomUUID();
    const unknown = await call(updateUser, { path: `/api/v1/users/${id}`, method: 'PATCH', token, json: { name: 'x' }, params: { id } });
    expectProblem(unknown, 404, 'not_found');
    expect(unknown.body.detail).toContain(id);
  });

  it('answers 422 when no field is sent, and for unknown fields', async () => {
    const admin = await createTestUser(['admin']);
    const target = await createTestUser(['viewer']);
    const params = { id: target.user.id };
    const empty = await call(updateUser, { path: `/api/v1/users/${target.user.id}`, method: 'PATCH', token: admin.token, json: {}, params });
    expectProblem(empty, 422, 'validation_failed');
    expect(empty.body.errors).toEqual({ body: ['Send at least one of name, roles, active.'] });

    // The e-mail is not editable here, and a refused body changes nothing, not even the valid name.
    const email = await call(updateUser, {
      path: `/api/v1/users/${target.user.id}`,
      method: 'PATCH',
      token: admin.token,
      json: { name: 'Renamed', email: 'other@test.example' },
      params,
    });
    expect(email.status).toBe(422);
    expect(email.body.errors).toEqual({ email: ['Unknown field.'] });
    const stored = await db().user.findUniqueOrThrow({ where: { id: target.user.id } });
    expect(stored).toMatchObject({ email: target.user.email, name: target.user.name });
  });
});

describe('query errors', () => {
  it('answers 422 naming the parameter for an invalid query value', async () => {
    const { token } = await createTestUser(['manager']);
    const response = await call(listAudit, { path: '/api/v1/audit?limit=0', token });
    expectProblem(response, 422, 'validation_failed');
    expect(Object.keys(response.body.errors)).toEqual(['limit']);
    expect(response.body.detail).toMatch(/^Invalid query/);
  });

  it('answers 400 invalid_cursor for a cursor that cannot be a sequence number, even a 19-digit one', async () => {
    const { token } = await createTestUser(['manager']);
    // 9999999999999999999 is 19 digits but beyond PostgreSQL's bigint: it used to reach the database and fail with a 500.
    for (const cursor of ['abc', '9999999999999999999', '99999999999999999999']) {
      expectProblem(await call(listAudit, { path: `/api/v1/audit?cursor=${cursor}`, token }), 400, 'invalid_cursor');
    }
    expect((await call(listAudit, { path: '/api/v1/audit?cursor=9223372036854775807', token })).status).toBe(200);
  });
});

describe('request ids', () => {
  it('echoes x-request-id on success and on every kind of error, and records it in the audit log', async () => {
    const admin = await createTestUser(['admin']);
    const id = `client-${randomUUID()}`;
    const created = await call(createUser, { path: '/api/v1/users', token: admin.token, json: newUserBody(), headers: { 'x-request-id': id } });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe(id);
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'user.create', targetId: created.body.user.id } });
    expect(entry.requestId).toBe(id);

    const unauthenticated = await call(createUser, { path: '/api/v1/users', json: newUserBody(), headers: { 'x-request-id': 'r-401' } });
    expect(unauthenticated.headers.get('x-request-id')).toBe('r-401');
    expect(unauthenticated.body.requestId).toBe('r-401');

    const invalid = await call(createUser, { path: '/api/v1/users', token: admin.token, json: {}, headers: { 'x-request-id': 'r-422' } });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('x-request-id')).toBe('r-422');
    expect(invalid.body.requestId).toBe('r-422');
  });

  it('generates a UUID when the client sends none, or one that is not a short safe token', async () => {
    const admin = await createTestUser(['admin']);
    const generated = await call(listUsers, { path: '/api/v1/users', token: admin.token });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    // A long id is not truncated and echoed: it is replaced, like any id outside [A-Za-z0-9._:-]{1,64}.
    const long = await call(me, { path: '/api/v1/me', headers: { 'x-request-id': 'x'.repeat(500) } });
    expect(long.status).toBe(401);
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(long.body.requestId).toBe(long.headers.get('x-request-id'));
  });
});

describe('unexpected errors (500)', () => {
  // No public endpoint fails on purpose, so this wraps a handler that throws in the real
  // route() wrapper: what reaches the client is the wrapper's doing, not the handler's.
  const explode = route(
    defineEndpoint({ method: 'GET', path: '/api/v1/explode', tag: 'Test', summary: 'Throws', auth: 'public' }),
    async () => {
      throw new Error('connect to postgresql://admin:hunter2@db.internal:5432 failed');
    },
  );

  it('answers 500 internal_error without leaking the message, and quotes the request id', async () => {
    const response = await call(explode, { path: '/api/v1/explode', headers: { 'x-request-id': 'boom-1' } });
    expectProblem(response, 500, 'internal_error');
    expect(response.text).not.toMatch(/hunter2|postgresql|db\.internal|Error:|\n\s+at /);
    expect(response.body.detail).toContain('boom-1');
    expect(response.body.errors).toBeUndefined();
  });
});

describe('GET /api/health', () => {
  it('answers 200 {"status":"ok"} without credentials while the database is up', async () => {
    const response = await call(health, { path: '/api/health' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({ status: 'ok' });
  });
});
