import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { can, ROLES, type Permission, type RoleName } from '@/lib/auth/permissions';
import { allEndpoints, endpointPathOf, fillPath, handlerOf, routeFiles, routeModule } from '../api-routes';
import { call, createTestUser } from '../helpers';

/**
 * Generated from the permission table and the OpenAPI document, so an endpoint added
 * tomorrow is covered without anyone adding it here: every endpoint × role answers 403
 * exactly when the role lacks the endpoint's permission, and 401 without credentials.
 */

interface Operation {
  method: string;
  path: string;
  permission: Permission | undefined;
  isPublic: boolean;
  consumes: string | undefined;
  hasBody: boolean;
  signatureOnly: boolean;
}

const document = buildOpenApiDocument();
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, raw]) => {
    const operation = raw as { 'x-permission'?: Permission; security: unknown[]; requestBody?: { content: Record<string, unknown> } };
    const contentTypes = Object.keys(operation.requestBody?.content ?? {});
    return {
      method: method.toUpperCase(),
      path,
      permission: operation['x-permission'],
      isPublic: operation.security.length === 0,
      // Callbacks from other systems: a signature over the body, which no user credential replaces.
      signatureOnly: operation.security.some((scheme) => typeof scheme === 'object' && scheme !== null && 'modeldeckSignature' in scheme),
      consumes: contentTypes.find((type) => type !== 'application/json'),
      hasBody: contentTypes.length > 0,
    };
  }),
);

// Placeholders that satisfy no real row: the permission check comes first, so they never matter to 401/403.
const PARAMS: Record<string, string> = { name: 'no-such-model', version: '1', environment: 'no-such-env', id: randomUUID() };

async function send(operation: Operation, token: string | undefined) {
  const handler = await handlerOf({ path: operation.path, method: operation.method as never });
  return call(handler, {
    path: fillPath(operation.path, PARAMS),
    method: operation.method,
    token,
    params: Object.fromEntries(Object.keys(PARAMS).filter((key) => operation.path.includes(`{${key}}`)).map((key) => [key, PARAMS[key]!])),
    ...(operation.consumes
      ? { rawBody: 'x', headers: { 'content-type': operation.consumes } }
      : operation.hasBody
        ? { json: {} }
        : {}),
  });
}

const tokens = {} as Record<RoleName, string>;
let cells = 0;

beforeAll(async () => {
  for (const role of ROLES) tokens[role] = (await createTestUser([role])).token;
});

afterAll(() => {
  // The lead tracks the matrix size.
  console.log(`permission matrix: ${operations.length} endpoints × (${ROLES.length} roles + anonymous) = ${cells} requests`);
});

describe('permission matrix', () => {
  it('covers every declared endpoint', () => {
    expect(operations.length).toBe(allEndpoints.length);
    expect(operations.length).toBeGreaterThan(30);
  });

  it.each(operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    '%s: 403 exactly for roles without its permission, 401 without credentials',
    async (_, operation) => {
      for (const role of ROLES) {
        const response = await send(operation, tokens[role]);
        cells++;
        const allowed = !operation.permission || can([role], operation.permission);
        expect(response.status, `${role} (${operation.permission ?? 'any signed-in user'}): ${response.text.slice(0, 200)}`).toBeLessThan(500);
        if (operation.signatureOnly) {
          expect(response.status, `${role}: a user token is no signature`).toBe(401);
        } else if (allowed) {
          expect(response.status, `${role} holds ${operation.permission ?? 'no permission needed'}`).not.toBe(403);
          expect(response.status, role).not.toBe(401);
        } else {
          expect(response.status, `${role} lacks ${operation.permission}`).toBe(403);
          expect(response.headers.get('content-type')).toBe('application/problem+json');
          expect(response.body.detail).toEqual(expect.any(String));
        }
      }
      const anonymous = await send(operation, undefined);
      cells++;
      if (operation.isPublic) expect(anonymous.status).not.toBe(401);
      else {
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
      }
    },
  );
});

describe('route files and declarations', () => {
  const v1Files = routeFiles.filter((file) => file.startsWith('/app/api/v1/'));
  const declaredPaths = new Set(allEndpoints.map((endpoint) => endpoint.path));

  it('every route file under app/api/v1 serves a declared endpoint path, and every declared path has a route file', () => {
    expect(v1Files.length).toBeGreaterThan(0);
    for (const file of v1Files) expect(declaredPaths.has(endpointPathOf(file)!), file).toBe(true);
    const served = new Set(routeFiles.map(endpointPathOf));
    for (const path of declaredPaths) expect(served.has(path), path).toBe(true);
  });

  it('each route file handles exactly its declared methods and answers 405 problem+json with Allow for the others', async () => {
    for (const file of routeFiles) {
      const path = endpointPathOf(file);
      if (!path || !declaredPaths.has(path)) continue;
      const declared = allEndpoints.filter((endpoint) => endpoint.path === path).map((endpoint) => endpoint.method as string);
      const module = await routeModule(path);
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const handler = module[method];
        expect(handler, `${file} must export ${method} (a handler or its 405)`).toEqual(expect.any(Function));
        if (declared.includes(method)) continue;
        const response = await call(handler!, { path: fillPath(path, PARAMS), method, params: PARAMS });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(response.body).toMatchObject({ status: 405, code: 'method_not_allowed' });
        const allow = response.headers.get('allow')!.split(', ');
        for (const served of declared) expect(allow).toContain(served);
        expect(allow).not.toContain(method);
      }
    }
  });
});
