import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { fillPath, handlerOf } from '../api-routes';
import { call, createTestUser } from '../helpers';
import { api } from '../registry-api';

/**
 * Walks the OpenAPI document and sends every endpoint generated bad input — wrong types,
 * huge numbers, NUL, lone surrogates, unknown fields named like built-in properties, very
 * long strings, dates PostgreSQL cannot store — through the real handlers with an admin
 * token. No answer may be a 5xx, and every 4xx is problem+json. Fixed seed: the same
 * requests every run.
 */

const SEED = 20261121;
const RUNS_PER_ENDPOINT = 60;

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; $ref?: string; anyOf?: JsonSchema[]; allOf?: JsonSchema[] };
const document = buildOpenApiDocument();
const components = document.components.schemas as Record<string, JsonSchema>;

/** Property names of a (possibly referenced or combined) object schema. */
function propertyNames(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  if (schema.$ref) return propertyNames(components[schema.$ref.replace('#/components/schemas/', '')]);
  const nested = [...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap(propertyNames);
  return [...new Set([...Object.keys(schema.properties ?? {}), ...nested])];
}

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  jsonBody: string[] | null;
  rawBodyType: string | undefined;
}

const operations: Operation[] = Object.entries(document.paths).flatMap(([template, methods]) =>
  Object.entries(methods).map(([method, raw]) => {
    const operation = raw as {
      parameters: Array<{ name: string; in: 'path' | 'query' }>;
      requestBody?: { content: Record<string, { schema: JsonSchema }> };
    };
    const content = operation.requestBody?.content ?? {};
    return {
      method: method.toUpperCase(),
      path: template,
      pathParams: operation.parameters.filter((p) => p.in === 'path').map((p) => p.name),
      queryParams: operation.parameters.filter((p) => p.in === 'query').map((p) => p.name),
      jsonBody: content['application/json'] ? propertyNames(content['application/json'].schema) : null,
      rawBodyType: Object.keys(content).find((type) => type !== 'application/json'),
    };
  }),
);

// Real values (filled in beforeAll) so some requests get past "not found" into deeper code.
const real: Record<string, string[]> = { name: [], version: ['1'], environment: ['development', 'production'], id: [] };

const UUID = '7d1f0c3e-5b2a-4f6d-8e9c-0a1b2c3d4e5f';
const NASTY_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '😀',
  'x'.repeat(100_000),
  '0000-01-01T00:00:00Z',
  '-100000-01-01T00:00:00.000Z',
  `-100000-01-01T00:00:00.000Z|${UUID}`,
  `+275760-09-13T00:00:00.000Z|${UUID}`,
  `2026-01-01T00:00:00.000Z|${UUID}`,
  '9999999999999999999999',
  '2147483648',
  '-2147483649',
  '1e400',
  '-1',
  '0',
  '1.5',
  'NaN',
  'true',
  'null',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  'constructor',
  '__proto__',
  'toString',
  UUID,
  'not-a-uuid',
  'churn-predictor',
  'user.',
  'viewer',
  'development',
  'replace',
  'canary',
  'http://169.254.169.254/latest/meta-data/',
  'http://user:pass@127.1/',
  'mdk_' + 'a'.repeat(40),
];
const NASTY_NUMBERS = [2147483648, -2147483649, 2 ** 53, 1e308, -1, 0, 1, 1.5, 3650, 3651, Number.MAX_SAFE_INTEGER];
const BUILT_IN_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__', 'isPrototypeOf'];

const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const nastyScalar = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...NASTY_NUMBERS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(true, false, null) },
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: nastyScalar },
  { weight: 1, arbitrary: fc.array(nastyScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('version.registered', 'viewer', 'admin', 10, 50, 100), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...BUILT_IN_NAMES), fc.string({ maxLength: 8 })), nastyScalar, { maxKeys: 3 }) },
);
const unknownKey = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...BUILT_IN_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });

/** A JSON text written by hand: keys like "__proto__" stay ordinary keys, lone surrogates are escaped. */
function jsonObjectText(entries: Array<[string, unknown]>): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
}

function requestFor(operation: Operation) {
  const param = (name: string) =>
    fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...(real[name]?.length ? real[name] : ['x'])) }, { weight: 2, arbitrary: nastyString });
  const params = fc.record(Object.fromEntries(operation.pathParams.map((name) => [name, param(name)])) as Record<string, fc.Arbitrary<string>>);
  const query = fc.array(
    fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(operation.queryParams.length ? operation.queryParams : ['q'])) }, { weight: 1, arbitrary: unknownKey }), nastyString),
    { maxLength: 4 },
  );
  const known = operation.jsonBody?.length ? operation.jsonBody : ['name'];
  const body: fc.Arbitrary<string | undefined> = operation.jsonBody
    ? fc.oneof(
        { weight: 8, arbitrary: fc.array(fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: unknownKey }), nastyValue), { maxLength: 6 }).map(jsonObjectText) },
        { weight: 1, arbitrary: nastyValue.map((value) => JSON.stringify(value) ?? 'null') },
        { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":1}{', '[]', 'null', '"\\u0000"', '{"name":"\\ud800"}') },
      )
    : fc.constant(undefined);
  return fc.record({ params, query, body });
}

let adminToken = '';
let artifactDir = '';
let requests = 0;

beforeAll(async () => {
  artifactDir = await mkdtemp(path.join(os.tmpdir(), 'modeldeck-fuzz-'));
  process.env.ARTIFACT_DIR = artifactDir;
  const admin = await createTestUser(['admin']);
  adminToken = admin.token;
  const name = `fuzz-${randomUUID().slice(0, 8)}`;
  expect((await api.createModel(adminToken, { name })).status).toBe(201);
  expect((await api.registerVersion(adminToken, name, {})).status).toBe(201);
  const release = await api.requestPromotion(adminToken, name, 1, { environment: 'development' });
  real.name = [name];
  real.id = [release.body.id, admin.user.id, randomUUID()].filter(Boolean);
});

afterAll(async () => {
  delete process.env.ARTIFACT_DIR;
  await rm(artifactDir, { recursive: true, force: true });
  // The lead tracks how much the fuzzing covers.
  console.log(`api fuzz: ${requests} requests over ${operations.length} endpoints (seed ${SEED})`);
});

describe('every endpoint under generated bad input', () => {
  it.each(operations.map((operation, index) => [`${operation.method} ${operation.path}`, operation, index] as const))(
    '%s never answers 5xx, and every 4xx is problem+json',
    async (_, operation, index) => {
      const handler = await handlerOf({ path: operation.path, method: operation.method as never });
      const samples = fc.sample(requestFor(operation), { seed: SEED + index, numRuns: RUNS_PER_ENDPOINT });
      for (const sample of samples) {
        const search = new URLSearchParams(sample.query).toString();
        const url = `${fillPath(operation.path, sample.params)}${search ? `?${search}` : ''}`;
        const response = await call(handler, {
          path: url,
          method: operation.method,
          token: adminToken,
          params: sample.params,
          ...(operation.rawBodyType
            ? { rawBody: sample.body ?? 'bytes', headers: { 'content-type': operation.rawBodyType } }
            : sample.body !== undefined
              ? { rawBody: sample.body, headers: { 'content-type': 'application/json' } }
              : {}),
        });
        requests++;
        const what = `${operation.method} ${url.slice(0, 300)} body=${(sample.body ?? '').slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
        expect(response.status, what).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers.get('content-type'), what).toBe('application/problem+json');
          expect(response.body.status, what).toBe(response.status);
        }
      }
    },
  );
});
