import { createHash, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRetrainingWebhook } from '@/lib/server/retraining/set-retraining-webhook';
import { GET as getOpenApi } from '@/app/api/v1/openapi.json/route';
import type { Endpoint } from '@/lib/api/contract';
import { allEndpoints } from '@/lib/api/endpoints';
import { can, ROLES, type Permission } from '@/lib/auth/permissions';
import { isMethodFallback } from '@/lib/server/http/api-fallbacks';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { configureEnvironmentBackend } from '@/lib/server/deployments/configure-environment-backend';
import { createEnvironment } from '@/lib/server/environments/create-environment';
import { stopBoss } from '@/lib/server/jobs/queue';
import { deployRelease } from '@/lib/server/promotions/deploy-release';
import { getEnvironmentState } from '@/lib/server/promotions/get-environment-state';
import { requestPromotion } from '@/lib/server/promotions/request-promotion';
import { createModel } from '@/lib/server/registry/create-model';
import { registerVersion } from '@/lib/server/registry/register-version';
import { createRule } from '@/lib/server/alerts/create-rule';
import { db } from '@/lib/db';
import { call, createTestUser } from '../helpers';
import { startModelServer, waitUntilReady, type RunningModelServer } from './model-server-harness';
import { scorableVersion } from '../batch-api';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- reading an arbitrary document
type Handler = Parameters<typeof call>[0];

const root = path.resolve(import.meta.dirname, '../..');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const key = (e: Pick<Endpoint, 'method' | 'path'>) => `${e.method} ${e.path}`;

/** The route module Next.js serves an OpenAPI path from: /api/v1/users/{id} → app/api/v1/users/[id]/route.ts. */
async function routeModule(apiPath: string): Promise<Record<string, unknown>> {
  const file = path.join(root, 'app', apiPath.replace(/\{(\w+)\}/g, '[$1]'), 'route.ts');
  return import(/* @vite-ignore */ file);
}

async function handlerFor(endpoint: Endpoint): Promise<Handler> {
  const handler = (await routeModule(endpoint.path))[endpoint.method];
  expect(handler, `${key(endpoint)} is documented but not served`).toBeTypeOf('function');
  return handler as Handler;
}

/** Calls an endpoint's live handler with a concrete path. */
function callEndpoint(handler: Handler, endpoint: Endpoint, options: { token?: string; json?: unknown; params?: Record<string, string> }) {
  const params = options.params ?? Object.fromEntries([...endpoint.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, randomUUID()]));
  const concrete = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
  return call(handler, { path: concrete, method: endpoint.method, ...options, params });
}

/** Resolves a local JSON pointer ("#/components/schemas/User") in the document. */
function resolvePointer(doc: Json, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Json)[part] : undefined), doc);
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

let doc: Json;
let admin: Awaited<ReturnType<typeof createTestUser>>;

let engineer: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  const response = await call(getOpenApi, { path: '/api/v1/openapi.json' });
  expect(response.status).toBe(200);
  doc = response.body;
  admin = await createTestUser(['admin']);
  engineer = await createTestUser(['engineer']);
});

// Promotion examples enqueue jobs (the queue starts on first use); no worker runs here.
afterAll(async () => {
  await stopBoss();
  await inferServer?.stop();
});

describe('GET /api/v1/openapi.json', () => {
  it('is public JSON describing OpenAPI 3.1.0', async () => {
    const response = await call(getOpenApi, { path: '/api/v1/openapi.json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.info).toMatchObject({ title: 'ModelDeck API', version: expect.any(String) });
    expect(response.body.paths['/api/v1/openapi.json'].get.security).toEqual([]);
  });

  it('has every endpoint, and nothing else', () => {
    const documented = Object.entries(doc.paths as Json).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(allEndpoints.map(key).sort());
    for (const endpoint of allEndpoints) {
      const operation = doc.paths[endpoint.path][endpoint.method.toLowerCase()];
      expect(operation.summary).toBe(endpoint.summary);
      expect(operation.responses[String(endpoint.successStatus ?? 200)], key(endpoint)).toBeDefined();
    }
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values(doc.paths as Json).flatMap((ops) => Object.values(ops as Json).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-zA-Z][a-zA-Z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('only has $refs that resolve inside the document', () => {
    // zod's local "#/$defs/..." pointers would resolve against the document root and break clients.
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\/components\/schemas\/\w+$/);
      const target = resolvePointer(doc, ref);
      expect(target, `${ref} does not resolve`).toBeTypeOf('object');
      expect(Object.keys(target as Json).length, ref).toBeGreaterThan(0);
    }
    expect(JSON.stringify(doc)).not.toContain('$defs');
  });
});

describe('the document and the routes agree', () => {
  it('serves every documented operation from a route handler', async () => {
    for (const endpoint of allEndpoints) await handlerFor(endpoint);
  });

  it('documents every REST handler under app/api (next-auth aside)', async () => {
    const documented = new Set(allEndpoints.map(key));
    // The catch-all only answers 404 problems; the 405 handlers of otherMethods() are not endpoints.
    const files = readdirSync(path.join(root, 'app/api'), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('route.ts') && !file.startsWith('auth') && !file.includes('[...'),
    );
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const apiPath = `/api/${path.dirname(file)}`.replace(/\[(\w+)\]/g, '{$1}');
      const module = await routeModule(apiPath);
      for (const method of HTTP_METHODS.filter((m) => typeof module[m] === 'function' && !isMethodFallback(module[m]))) {
        expect(documented, `${method} ${apiPath} is served but not documented`).toContain(`${method} ${apiPath}`);
      }
    }
  });

  it('requires credentials exactly where the document says so (401), and permissions where it names one (403)', async () => {
    const viewer = await createTestUser(['viewer']);
    for (const endpoint of allEndpoints) {
      const operation = doc.paths[endpoint.path][endpoint.method.toLowerCase()];
      const handler = await handlerFor(endpoint);
      const anonymous = await callEndpoint(handler, endpoint, {});
      if (operation.security.length > 0) {
        expect(anonymous.status, key(endpoint)).toBe(401);
        expect(operation.responses['401'], key(endpoint)).toBeDefined();
      } else {
        expect(anonymous.status, key(endpoint)).toBeLessThan(400);
        expect(operation.responses['401'], key(endpoint)).toBeUndefined();
      }
      // A viewer is refused exactly the operations whose x-permission the viewer role lacks.
      const asViewer = await callEndpoint(handler, endpoint, { token: viewer.token });
      if (operation['x-permission']) {
        expect(operation['x-permission']).toBe(endpoint.permission);
        expect(operation.responses['403'], key(endpoint)).toBeDefined();
        if (can(['viewer'], operation['x-permission'] as Permission)) expect(asViewer.status, key(endpoint)).not.toBe(403);
        else expect(asViewer.status, key(endpoint)).toBe(403);
      } else {
        expect(asViewer.status, key(endpoint)).not.toBe(403);
        expect(operation.responses['403'], key(endpoint)).toBeUndefined();
      }
    }
  });
});

describe('problem responses', () => {
  it('documents 401/403/503 and the body errors (400, 413, 415, 422) as problem+json where they can happen', () => {
    for (const endpoint of allEndpoints) {
      const { responses } = doc.paths[endpoint.path][endpoint.method.toLowerCase()];
      const expected = new Set<string>();
      // Credentialed endpoints read the user from the database, so they can also answer 503.
      if (endpoint.auth === 'user') ['401', '503'].forEach((s) => expected.add(s));
      if (endpoint.permission) expected.add('403');
      if (endpoint.body) ['400', '413', '415', '422'].forEach((s) => expected.add(s));
      if (endpoint.query) ['400', '422'].forEach((s) => expected.add(s));
      for (const status of endpoint.errors ?? []) expected.add(String(status));
      const errorStatuses = Object.keys(responses).filter((s) => Number(s) >= 400);
      expect(errorStatuses.sort(), key(endpoint)).toEqual([...expected].sort());
      for (const status of errorStatuses) {
        expect(responses[status].content, `${key(endpoint)} ${status}`).toEqual({
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        });
      }
    }
    expect(Object.keys(doc.paths['/api/v1/users'].post.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '503']);
    // The raw artifact upload has no JSON body, yet can be empty (400) or too large (413), and
    // the S3 artifact store can refuse it (502).
    expect(Object.keys(doc.paths['/api/v1/models/{name}/versions/{version}/artifact'].put.responses).sort()).toEqual([
      '200', '400', '401', '403', '404', '409', '413', '422', '502', '503',
    ]);
  });

  it('documents the raw artifact upload as a required binary body', () => {
    const operation = doc.paths['/api/v1/models/{name}/versions/{version}/artifact'].put;
    expect(operation.requestBody).toEqual({
      required: true,
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    });
    expect(doc.paths['/api/v1/models/{name}/versions/{version}/artifact'].get.responses['200'].content).toEqual({
      'application/octet-stream': { schema: { type: 'string' } },
    });
  });

  it('describes the problem bodies the API really sends', async () => {
    const problem = doc.components.schemas.Problem;
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'requestId']));
    const viewer = await createTestUser(['viewer']);
    const { POST } = (await routeModule('/api/v1/users')) as { POST: Handler };
    const live = [
      await call(POST, { path: '/api/v1/users', json: {} }),
      await call(POST, { path: '/api/v1/users', token: viewer.token, json: {} }),
      await call(POST, { path: '/api/v1/users', token: admin.token, json: { roles: 'x' } }),
    ];
    expect(live.map((r) => r.status)).toEqual([401, 403, 422]);
    for (const response of live) {
      for (const field of problem.required) expect(response.body, field).toHaveProperty(field);
      // additionalProperties: false, so every key sent must be documented.
      for (const field of Object.keys(response.body)) expect(Object.keys(problem.properties)).toContain(field);
      expect(Number.isInteger(response.body.status)).toBe(problem.properties.status.type === 'integer');
    }
    expect(live[2]!.body.errors).toEqual(expect.objectContaining({ roles: expect.any(Array) }));
  });
});

describe('POST /api/v1/users request body', () => {
  it('documents email, name, roles and password, requires the first three and allows nothing else', () => {
    const requestBody = doc.paths['/api/v1/users'].post.requestBody;
    expect(requestBody.required).toBe(true);
    const schema = requestBody.content['application/json'].schema;
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties).sort()).toEqual(['email', 'name', 'password', 'roles']);
    expect([...schema.required].sort()).toEqual(['email', 'name', 'roles']);
    // What zod's toJSONSchema emits for z.strictObject: clients can tell extra fields are refused.
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.roles).toMatchObject({ type: 'array', minItems: 1, items: { type: 'string', enum: [...ROLES] } });
    expect(schema.properties.password).toMatchObject({ type: 'string', minLength: 12, maxLength: 200 });
    expect(schema.properties.email).toMatchObject({ type: 'string', format: 'email' });
  });
});

const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A fresh model with `versions` versions (each example call gets its own, so examples never collide). */
async function modelWithVersions(versions: number): Promise<string> {
  const name = uniqueName('doc');
  await createModel(engineer.ctx, { name });
  for (let i = 0; i < versions; i++) await registerVersion(engineer.ctx, name, {});
  return name;
}

/** Requests the promotion and runs the deploy job's work in-line (no worker in this file). */
async function makeLive(name: string, version: number, environment: string): Promise<void> {
  const { release } = await requestPromotion(engineer.ctx, { model: name, version, input: { environment } });
  await deployRelease(release.id);
}

/** A production request waiting for a reviewer (requested by the engineer, so the admin may review it). */
async function pendingRelease(): Promise<string> {
  const name = await modelWithVersions(1);
  await makeLive(name, 1, 'development');
  await makeLive(name, 1, 'staging');
  const { release } = await requestPromotion(engineer.ctx, { model: name, version: 1, input: { environment: 'production' } });
  expect(release.status).toBe('pending_approval');
  return release.id;
}

/**
 * A valid body (and path) for every endpoint that takes one. An endpoint with a body and
 * no example here fails the test below, so new endpoints get this check too.
 */
const examples: Record<string, () => Promise<{ body: Json; params?: Record<string, string> }>> = {
  'POST /api/v1/models': async () => ({
    body: { name: uniqueName('doc'), description: 'Predicts churn', task: 'classification', team: 'growth', tags: ['tabular'] },
  }),
  'POST /api/v1/models/{name}/versions': async () => ({
    body: {
      artifactUri: 's3://models/churn/2.onnx',
      artifactSha256: 'a'.repeat(64),
      format: 'onnx',
      metrics: { accuracy: 0.91 },
      params: { lr: 0.01 },
      gitCommit: 'abcdef1',
      dataset: 's3://data/churn/2026-01',
      features: [{ name: 'age', type: 'numeric' }],
      modelCard: '# Churn',
      parentVersion: 1,
    },
    params: { name: await modelWithVersions(1) },
  }),
  'PUT /api/v1/models/{name}/retention': async () => ({
    body: { days: 30 },
    params: { name: await modelWithVersions(1) },
  }),
  'POST /api/v1/models/{name}/versions/{version}/promotions': async () => ({
    body: { environment: 'development', strategy: { type: 'canary', steps: [10, 50, 100] }, note: 'doc example' },
    params: { name: await modelWithVersions(1), version: '1' },
  }),
  'POST /api/v1/models/{name}/environments/{environment}/rollback': async () => {
    const name = await modelWithVersions(2);
    await makeLive(name, 1, 'development');
    await makeLive(name, 2, 'development');
    const { release } = await getEnvironmentState(name, 'development');
    return { body: { expectedReleaseId: release!.id }, params: { name, environment: 'development' } };
  },
  'POST /api/v1/models/{name}/versions/{version}/batch-schedules': async () => ({
    body: { cron: '0 2 * * *', inputUri: 'https://data.example.com/churn/nightly.csv.gz', format: 'csv' },
    params: { name: await scorableVersion(admin.token, 'doc-batch'), version: '1' },
  }),
  'POST /api/v1/promotions/{id}/approve': async () => ({ body: { comment: 'Metrics hold up.' }, params: { id: await pendingRelease() } }),
  'POST /api/v1/promotions/{id}/reject': async () => ({ body: { comment: 'Accuracy regressed.' }, params: { id: await pendingRelease() } }),
  // The migration's rules for development, so applying the example changes nothing else.
  'PATCH /api/v1/environments/{environment}': async () => ({
    body: {
      description: 'Engineers deploy here freely.',
      requiredApprovals: 0,
      requirePreviousEnvironment: false,
      soakGateEnabled: false,
      minSoakMinutes: 0,
      metricGates: [],
      blockOnOpenDriftAlert: true,
      authorCannotApprove: false,
    },
    params: { environment: 'development' },
  }),
  // Added after production, so the promotion examples' environments keep their neighbours.
  'POST /api/v1/environments': async () => ({
    body: {
      name: uniqueName('doc'),
      after: 'production',
      description: 'Load tests.',
      requiredApprovals: 1,
      requirePreviousEnvironment: true,
      soakGateEnabled: true,
      minSoakMinutes: 30,
      metricGates: [{ metric: 'accuracy', comparator: '>=', tolerance: 0.01, enabled: true }],
      blockOnOpenDriftAlert: true,
      authorCannotApprove: true,
    },
  }),
  'PUT /api/v1/environments/{environment}/backend': async () => {
    process.env.MODELDECK_ENCRYPTION_KEY ??= 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
    const { name } = await createEnvironment(admin.ctx, { name: uniqueName('doc') });
    return {
      body: { type: 'local', config: { url: 'http://127.0.0.1:8090' }, secret: 'model-server-token', canary: { intervalSeconds: 60, maxLatencyRatio: 1.5 } },
      params: { environment: name },
    };
  },
  // Two fresh environments at the end: the second one can always move up.
  'POST /api/v1/environments/{environment}/move': async () => {
    await createEnvironment(admin.ctx, { name: uniqueName('doc') });
    const { name } = await createEnvironment(admin.ctx, { name: uniqueName('doc') });
    return { body: { direction: 'up' }, params: { environment: name } };
  },
  'POST /api/v1/webhooks': async () => ({
    body: { url: 'https://ci.example.com/hooks/modeldeck', events: ['release.live'], description: 'doc example' },
  }),
  'POST /api/v1/users': async () => ({
    body: { email: `doc-${randomUUID().slice(0, 8)}@test.example`, name: 'Doc Example', roles: ['viewer'], password: 'a long enough password' },
  }),
  'PATCH /api/v1/users/{id}': async () => {
    const { user } = await createTestUser(['viewer']);
    return { body: { name: 'Renamed', roles: ['engineer'], active: true }, params: { id: user.id } };
  },
  'POST /api/v1/tokens': async () => ({ body: { name: 'doc example', expiresInDays: 7 } }),
  'POST /api/v1/channels': async () => {
    process.env.MODELDECK_ENCRYPTION_KEY ??= 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
    return { body: { kind: 'webhook', name: uniqueName('doc'), target: 'https://hooks.example.com/modeldeck' } };
  },
  'POST /api/v1/alert-rules': async () => ({ body: alertRuleExample(await modelWithVersions(1)) }),
  'PATCH /api/v1/alert-rules/{id}': async () => {
    const rule = await createRule(engineer.ctx, alertRuleExample(await modelWithVersions(1)));
    return {
      body: { name: 'Renamed', signal: { type: 'latency', percentile: 99 }, comparator: '>=', threshold: 250, windowMinutes: 15, minSamples: 50, severity: 'info', channels: [], actions: [], enabled: true, snoozeMinutes: 30 },
      params: { id: rule.id },
    };
  },
  'POST /api/v1/alerts/{id}/acknowledge': async () => ({ body: { comment: 'Looking into it' }, params: { id: await firingAlert() } }),
  'POST /api/v1/alerts/{id}/resolve': async () => ({ body: { comment: 'Rolled back' }, params: { id: await firingAlert() } }),
  'POST /api/v1/models/{name}/environments/{environment}/infer': async () => {
    const { model, environment } = await servedModel();
    return { body: { version: 1, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 2], data: [0.5, 1.5] }] }, params: { name: model, environment } };
  },
  'PUT /api/v1/settings/unit-prices': async () => ({ body: { currency: 'EUR', cpuHour: 0.045, gbMonth: 0.023, perMillionRequests: 0.4 } }),
  // A fresh version each call: one probe per version and option runs at a time.
  'POST /api/v1/models/{name}/versions/{version}/load-probes': async () => ({
    body: { option: 'edge', targetP95Ms: 20, startRate: 10, rateStep: 20, maxRate: 90, stepSeconds: 2 },
    params: { name: await probeableVersion(), version: '1' },
  }),
  'POST /api/v1/alert-rules/preview': async () => {
    const { name: _name, channels: _channels, actions: _actions, severity: _severity, ...draft } = alertRuleExample(await modelWithVersions(1));
    return { body: { ...draft, version: 1 } };
  },
  'PUT /api/v1/environments/{environment}/retraining-webhook': async () => {
    process.env.MODELDECK_ENCRYPTION_KEY ??= 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
    return { body: { url: 'https://hooks.example.com/retrain', secret: 'a-secret-shared-with-the-pipeline' }, params: { environment: 'production' } };
  },
  'POST /api/v1/alerts/{id}/retraining': async () => {
    process.env.MODELDECK_ENCRYPTION_KEY ??= 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
    await setRetrainingWebhook(admin.ctx, 'production', { url: 'https://hooks.example.com/retrain', secret: 'a-secret-shared-with-the-pipeline' });
    return { body: { comment: 'Drifted since the campaign' }, params: { id: await firingAlert() } };
  },
};

let inferServer: RunningModelServer | undefined;
let served: Promise<{ model: string; environment: string }> | undefined;

/** A model answering on a real model server behind an environment's backend (the infer proxy's example). */
function servedModel() {
  served ??= (async () => {
    process.env.MODELDECK_ENCRYPTION_KEY ??= 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
    inferServer = await startModelServer();
    await waitUntilReady(inferServer);
    const model = await modelWithVersions(1);
    const { name: environment } = await createEnvironment(admin.ctx, { name: uniqueName('doc') });
    await configureEnvironmentBackend(admin.ctx, environment, { type: 'local', config: { url: inferServer.url }, secret: inferServer.token });
    const bytes = writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b'], weights: [1, -1], bias: 0 });
    const file = path.join(tmpdir(), `${model}.onnx`);
    await writeFile(file, bytes);
    const manage = (url: string, json: unknown) =>
      fetch(`${inferServer!.url}/manage/environments/${environment}/models/${model}${url}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${inferServer!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
    expect((await manage('/versions/1', { artifactUrl: pathToFileURL(file).href, sha256: createHash('sha256').update(bytes).digest('hex') })).status).toBe(200);
    expect((await manage('/traffic', { routes: [{ version: '1', percent: 100 }], shadow: null })).status).toBe(200);
    return { model, environment };
  })();
  return served;
}

/** A version a load probe may start on: an ONNX artifact recorded and a feature schema (no worker runs here, so nothing is probed). */
async function probeableVersion(): Promise<string> {
  const name = await modelWithVersions(1);
  await db().modelVersion.updateMany({
    where: { model: { name }, version: 1 },
    data: { format: 'onnx', artifactKey: `${name}/1`, artifactSha256: 'a'.repeat(64), features: [{ name: 'a', type: 'numeric' }] },
  });
  return name;
}

function alertRuleExample(model: string) {
  return {
    name: 'Error rate',
    model,
    environment: 'production',
    signal: { type: 'error_rate' as const },
    comparator: '>' as const,
    threshold: 0.05,
    windowMinutes: 10,
    minSamples: 100,
    severity: 'critical' as const,
    channels: [],
    actions: [],
  };
}

/** An open alert, written directly: evaluating needs monitoring data this file does not have. */
async function firingAlert(): Promise<string> {
  const rule = await createRule(engineer.ctx, alertRuleExample(await modelWithVersions(1)));
  const row = await db().alertRule.findUniqueOrThrow({ where: { id: rule.id } });
  const alert = await db().alert.create({
    data: { ruleId: row.id, severity: row.severity, modelId: row.modelId, environmentId: row.environmentId, value: 0.2, threshold: row.threshold, samples: 500 },
  });
  return alert.id;
}

describe('documented request bodies are the ones the handlers enforce', () => {
  const withBody = allEndpoints.filter((endpoint) => endpoint.body);

  it('has an example for every endpoint with a body', () => {
    expect(Object.keys(examples).sort()).toEqual(withBody.map(key).sort());
  });

  it.each(withBody.map((endpoint) => [key(endpoint), endpoint] as const))('%s', async (_, endpoint) => {
    const schema: Json = doc.paths[endpoint.path][endpoint.method.toLowerCase()].requestBody.content['application/json'].schema;
    const properties: Json = schema.properties;
    const required: string[] = schema.required ?? [];
    const handler = await handlerFor(endpoint);
    const success = endpoint.successStatus ?? 200;
    const send = async (mutate: (body: Json) => void) => {
      const { body, params } = await examples[key(endpoint)]!();
      mutate(body);
      return callEndpoint(handler, endpoint, { token: admin.token, json: body, ...(params ? { params } : {}) });
    };
    const expectRefused = async (mutate: (body: Json) => void, field: string, label: string) => {
      const response = await send(mutate);
      expect(response.status, label).toBe(422);
      expect(Object.keys(response.body.errors ?? {}), label).toContain(field);
    };

    // The example itself only uses documented fields and is accepted.
    const { body: example } = await examples[key(endpoint)]!();
    for (const field of Object.keys(example)) expect(Object.keys(properties)).toContain(field);
    const accepted = await send(() => {});
    expect(accepted.status, accepted.text).toBe(success);

    // A body documented as required is required (400 empty_body); an optional one may be left out.
    const { params: bodylessParams } = await examples[key(endpoint)]!();
    const bodyless = await callEndpoint(handler, endpoint, { token: admin.token, ...(bodylessParams ? { params: bodylessParams } : {}) });
    const requestBody = doc.paths[endpoint.path][endpoint.method.toLowerCase()].requestBody;
    if (requestBody.required) {
      expect(bodyless.status, 'without a body').toBe(400);
      expect(bodyless.body.code).toBe('empty_body');
    } else {
      expect(bodyless.status, `without a body: ${bodyless.text}`).toBe(success);
    }

    // Each documented required field is required by the handler, by name...
    for (const field of required) await expectRefused((body) => delete body[field], field, `without ${field}`);
    // ...and each optional one really is optional.
    for (const field of Object.keys(properties).filter((f) => !required.includes(f))) {
      expect((await send((body) => delete body[field])).status, `without optional ${field}`).toBe(success);
    }
    // additionalProperties: false means an undocumented field is refused, by name.
    if (schema.additionalProperties === false) {
      const response = await send((body) => (body.undocumented = 1));
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual({ undocumented: ['Unknown field.'] });
    }
    // Documented bounds and enums are the handler's.
    for (const [field, property] of Object.entries(properties)) {
      if (property.type === 'string' && property.minLength >= 1) await expectRefused((body) => (body[field] = ''), field, `${field} empty`);
      if (property.type === 'string' && property.maxLength) {
        await expectRefused((body) => (body[field] = 'x'.repeat(property.maxLength + 1)), field, `${field} too long`);
      }
      if (property.type === 'integer' && property.minimum !== undefined) {
        await expectRefused((body) => (body[field] = property.minimum - 1), field, `${field} below minimum`);
      }
      if (property.type === 'integer' && property.maximum !== undefined) {
        await expectRefused((body) => (body[field] = property.maximum + 1), field, `${field} above maximum`);
      }
      if (property.type === 'array' && property.minItems >= 1) await expectRefused((body) => (body[field] = []), field, `${field} empty`);
      if (property.type === 'array' && property.items?.enum) {
        await expectRefused((body) => (body[field] = ['not-in-the-enum']), `${field}.0`, `${field} outside the enum`);
      }
      if (property.type === 'boolean') await expectRefused((body) => (body[field] = 'yes'), field, `${field} not a boolean`);
    }
  });
});
