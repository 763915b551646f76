import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { RoleName } from '@/lib/auth/permissions';
import type { Actor, RequestContext } from '@/lib/server/context';
import { createApiToken } from '@/lib/server/tokens/create-api-token';
import { createUser } from '@/lib/server/users/create-user';

/** A fresh user with the given roles and a Bearer token (each test seeds its own people). */
export async function createTestUser(roles: RoleName[], overrides: { email?: string; password?: string } = {}) {
  const email = overrides.email ?? `${roles.join('-')}-${randomBytes(4).toString('hex')}@test.example`;
  const { user } = await createUser({
    input: { email, name: `Test ${roles.join(' ')}`, roles, password: overrides.password ?? 'correct horse battery' },
    actor: null,
  });
  const { token } = await createApiToken({ userId: user.id, input: { name: 'test' }, actor: null });
  const actor: Actor = { id: user.id, email: user.email, name: user.name, roles: user.roles };
  const ctx: RequestContext = { actor, requestId: `test-${randomBytes(4).toString('hex')}` };
  return { user, token, actor, ctx };
}

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** Calls a route handler the way Next.js does, with a real Request. */
export async function call(
  handler: RouteHandler,
  options: {
    path: string;
    method?: string;
    token?: string;
    json?: unknown;
    rawBody?: string | Uint8Array;
    headers?: Record<string, string>;
    params?: Record<string, string>;
  },
) {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  } else if (options.rawBody !== undefined) {
    body = options.rawBody as BodyInit;
  }
  const request = new Request(`http://localhost${options.path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and other non-JSON bodies stay text.
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response shapes
  return { status: response.status, headers: response.headers, body: parsed as any, text };
}

/** Plain SQL on this test file's database, outside Prisma (as someone with database access would). */
export async function rawQuery(sql: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Polls `check` until it returns a truthy value (which is returned), or fails after
 * `timeoutMs`. For outcomes produced by the job workers: no fixed sleeps.
 */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`waitFor: condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
