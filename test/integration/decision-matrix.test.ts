import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { GET as getProbeRoute } from '@/app/api/v1/load-probes/[id]/route';
import { GET as exportRoute } from '@/app/api/v1/models/[name]/versions/[version]/deployment-options/export/route';
import { GET as matrixRoute } from '@/app/api/v1/models/[name]/versions/[version]/deployment-options/route';
import { POST as startProbeRoute } from '@/app/api/v1/models/[name]/versions/[version]/load-probes/route';
import { GET as getPricesRoute, PUT as putPricesRoute } from '@/app/api/v1/settings/unit-prices/route';
import { buildDemoModels } from '@/lib/demo/build-demo-models';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { call, createTestUser, waitFor } from '../helpers';
import { api } from '../registry-api';
import { startModelServer, waitUntilReady, type RunningModelServer } from './model-server-harness';

const MODEL = 'demand-forecast';
const demand = buildDemoModels().find((m) => m.model === MODEL)!;
const v3 = demand.versions[2]!;
const ENV = 'development';

let artifactDir: string;
let server: RunningModelServer;
let engineer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;
let admin: Awaited<ReturnType<typeof createTestUser>>;

const startProbe = (token: string, json: unknown) =>
  call(startProbeRoute, { path: `/api/v1/models/${MODEL}/versions/1/load-probes`, method: 'POST', token, json, params: { name: MODEL, version: '1' } });
const getProbe = (id: string) => call(getProbeRoute, { path: `/api/v1/load-probes/${id}`, token: viewer.token, params: { id } });
const matrix = (query: string) =>
  call(matrixRoute, { path: `/api/v1/models/${MODEL}/versions/1/deployment-options?${query}`, token: viewer.token, params: { name: MODEL, version: '1' } });
const putPrices = (token: string, json: unknown) => call(putPricesRoute, { path: '/api/v1/settings/unit-prices', method: 'PUT', token, json });

async function finished(id: string) {
  return waitFor(async () => {
    const { body } = await getProbe(id);
    return body.status === 'succeeded' || body.status === 'failed' ? body : null;
  }, 60_000, 250);
}

async function configureBackend(environment: string, target: RunningModelServer) {
  const response = await call(putBackendRoute, {
    path: `/api/v1/environments/${environment}/backend`,
    method: 'PUT',
    token: admin.token,
    json: { type: 'local', config: { url: target.url, timeoutSeconds: 5 }, secret: target.token },
    params: { environment },
  });
  expect(response.status, response.text).toBe(200);
}

beforeAll(async () => {
  process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS = '1';
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-probe-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  [engineer, viewer, admin] = await Promise.all([createTestUser(['engineer']), createTestUser(['viewer']), createTestUser(['admin'])]);
  expect((await api.createModel(engineer.token, { name: MODEL })).status).toBe(201);
  expect((await api.registerVersion(engineer.token, MODEL, { format: 'onnx', features: demand.features })).status).toBe(201);
  expect((await api.upload(engineer.token, MODEL, 1, v3.onnx)).status).toBe(200);

  server = await startModelServer();
  await waitUntilReady(server);
  await configureBackend(ENV, server);
  const file = path.join(artifactDir, 'demand.onnx');
  await writeFile(file, v3.onnx);
  const manage = (url: string, json: unknown) =>
    fetch(`${server.url}/manage/environments/${ENV}/models/${MODEL}${url}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
  expect((await manage('/versions/1', { artifactUrl: pathToFileURL(file).href, sha256: v3.sha256, task: 'regression' })).status).toBe(200);
  expect((await manage('/traffic', { routes: [{ version: '1', percent: 100 }], shadow: null })).status).toBe(200);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  await server?.stop();
  delete process.env.ARTIFACT_DIR;
  delete process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS;
  await rm(artifactDir, { recursive: true, force: true });
});

describe('unit prices', () => {
  it('start unset; admins set them (audited with what they replaced); others cannot; bad prices are named', async () => {
    expect((await call(getPricesRoute, { path: '/api/v1/settings/unit-prices', token: viewer.token })).body).toMatchObject({ configured: false });
    expect((await putPrices(engineer.token, { cpuHour: 1, gbMonth: 1, perMillionRequests: 1 })).status).toBe(403);
    const bad = await putPrices(admin.token, { cpuHour: -1, gbMonth: 0.02, perMillionRequests: 0.4, currency: 'euro' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toMatch(/cpuHour/);
    expect(bad.body.detail).toMatch(/currency/);

    const [first, second] = await Promise.all([
      putPrices(admin.token, { cpuHour: 0.05, gbMonth: 0.02, perMillionRequests: 0.4, currency: 'EUR' }),
      putPrices(admin.token, { cpuHour: 0.06, gbMonth: 0.02, perMillionRequests: 0.4, currency: 'EUR' }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const audit = await db().auditEntry.findMany({ where: { action: 'unit_prices.update' }, orderBy: { seq: 'asc' } });
    expect(audit).toHaveLength(2);
    // Concurrent saves apply one after the other: the second's "before" is the first's "after".
    expect(audit[0]!.before).toBeNull();
    expect(audit[1]!.before).toEqual(audit[0]!.after);
    await putPrices(admin.token, { cpuHour: 0.05, gbMonth: 0.02, perMillionRequests: 0.4, currency: 'EUR' });
  });
});

describe('load probes', () => {
  it('refuses probes outside the bounds, without an environment or backend, and from viewers', async () => {
    expect((await startProbe(viewer.token, { option: 'edge' })).status).toBe(403);
    const tooFast = await startProbe(engineer.token, { option: 'edge', maxRate: 5_000 });
    expect(tooFast.status).toBe(422);
    expect(tooFast.body.detail).toMatch(/maxRate/);
    const tooLong = await startProbe(engineer.token, { option: 'edge', startRate: 10, rateStep: 10, maxRate: 200, stepSeconds: 10 });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.detail).toMatch(/at most 120 s/);
    const noEnvironment = await startProbe(engineer.token, { option: 'local_realtime' });
    expect(noEnvironment.status).toBe(422);
    expect(noEnvironment.body.detail).toMatch(/environment/);
    const noBackend = await startProbe(engineer.token, { option: 'local_realtime', environment: 'production' });
    expect(noBackend.status).toBe(409);
    expect(noBackend.body.code).toBe('no_backend');
    // An environment on the same model server where this version is not loaded.
    const empty = `empty-${randomBytes(3).toString('hex')}`;
    expect((await api.createEnvironment(admin.token, { name: empty })).status).toBe(201);
    await configureBackend(empty, server);
    const notServed = await startProbe(engineer.token, { option: 'local_realtime', environment: empty });
    expect(notServed.status).toBe(409);
    expect(notServed.body.code).toBe('version_not_served');
    expect(await db().loadProbe.count()).toBe(0);
  });

  it('probes the version on the real model server step by step, one probe at a time, and the matrix shows the measured figures', async () => {
    const started = await startProbe(engineer.token, { option: 'local_realtime', environment: ENV, startRate: 20, rateStep: 40, maxRate: 100, stepSeconds: 1, targetP95Ms: 200 });
    expect(started.status, started.text).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', plannedSteps: 3, option: 'local_realtime', environment: ENV });
    const again = await startProbe(engineer.token, { option: 'local_realtime', environment: ENV });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('probe_running');
    expect(await db().auditEntry.count({ where: { action: 'load_probe.start' } })).toBe(1);

    const probe = await finished(started.body.id);
    expect(probe.status, probe.error).toBe('succeeded');
    expect(probe.steps.map((s: { rate: number }) => s.rate)).toEqual([20, 60, 100]);
    for (const step of probe.steps) {
      expect(step.sent).toBe(step.rate);
      expect(step.errors).toBe(0);
      expect(step.p95Ms).toBeGreaterThanOrEqual(step.p50Ms);
      // Open loop at a rate the server easily answers: throughput follows the rate.
      expect(step.throughput).toBeGreaterThan(step.rate * 0.6);
    }
    expect(probe.stopReason).toMatch(/Reached the maximum rate \(100 req\/s\)/);

    // The model server answered (and counted) every request the probe sent.
    const stats = (await (await fetch(`${server.url}/manage/environments/${ENV}/models/${MODEL}/stats?windowSeconds=600`, { headers: { authorization: `Bearer ${server.token}` } })).json()) as {
      versions: { requests: number }[];
    };
    expect(stats.versions[0]!.requests).toBeGreaterThanOrEqual(180);

    const { body } = await matrix('requestsPerMonth=1000000&peakRps=10&latencyTargetMs=200');
    const local = body.options.find((o: { id: string }) => o.id === 'local_realtime');
    const knee = probe.steps[2];
    expect(local.p95Ms).toMatchObject({ value: knee.p95Ms, basis: 'measured' });
    expect(local.throughputRps).toMatchObject({ value: knee.throughput, basis: 'measured' });
    expect(local.replicas).toBe(1);
    expect(local.monthlyCost.currency).toBe('EUR');
    const kserve = body.options.find((o: { id: string }) => o.id === 'kserve_realtime');
    expect(kserve.p95Ms.basis).toBe('estimated');
    expect(kserve.p95Ms.value).toBeCloseTo(knee.p95Ms + 3, 9);
    expect(body.recommendation.option).toBe('local_realtime');
    expect(body.probes.map((p: { id: string }) => p.id)).toContain(probe.id);
  });

  it('stops at the first step whose p95 passes the target', async () => {
    const started = await startProbe(engineer.token, { option: 'local_realtime', environment: ENV, startRate: 50, rateStep: 50, maxRate: 200, stepSeconds: 1, targetP95Ms: 0.001 });
    const probe = await finished(started.body.id);
    expect(probe.status).toBe('succeeded');
    expect(probe.steps).toHaveLength(1);
    expect(probe.stopReason).toMatch(/passed the 0.001 ms target at 50 req\/s/);
  });

  it('measures the edge option in process with onnxruntime-node', async () => {
    const started = await startProbe(engineer.token, { option: 'edge', startRate: 100, rateStep: 100, maxRate: 200, stepSeconds: 1, targetP95Ms: 50 });
    expect(started.status, started.text).toBe(202);
    const probe = await finished(started.body.id);
    expect(probe.status, probe.error).toBe('succeeded');
    expect(probe.steps).toHaveLength(2);
    const { body } = await matrix('requestsPerMonth=1000000&peakRps=10&latencyTargetMs=50&offline=true');
    expect(body.options.find((o: { id: string }) => o.id === 'edge').p95Ms.basis).toBe('measured');
    expect(body.options.find((o: { id: string }) => o.id === 'batch').throughputRps.basis).toBe('estimated');
    expect(body.recommendation).toMatchObject({ option: 'edge' });
  });

  it('fails with the reason when the model server dies after the probe was accepted, and refuses to start against one that is down (502)', async () => {
    const other = await startModelServer();
    await waitUntilReady(other);
    const environment = `gone-${randomBytes(3).toString('hex')}`;
    expect((await api.createEnvironment(admin.token, { name: environment })).status).toBe(201);
    await configureBackend(environment, other);
    const file = path.join(artifactDir, 'demand-gone.onnx');
    await writeFile(file, v3.onnx);
    const load = await fetch(`${other.url}/manage/environments/${environment}/models/${MODEL}/versions/1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ artifactUrl: pathToFileURL(file).href, sha256: v3.sha256 }),
    });
    expect(load.status).toBe(200);
    const started = await startProbe(engineer.token, { option: 'local_realtime', environment, maxRate: 20, stepSeconds: 1 });
    expect(started.status, started.text).toBe(202);
    // kill -9 before the worker picks the job up (it polls every 0.5 s).
    await other.kill9();
    const probe = await finished(started.body.id);
    expect(probe.status).toBe('failed');
    expect(probe.error).toMatch(/ECONNREFUSED/);
    expect(probe.steps).toEqual([]);

    const refused = await startProbe(engineer.token, { option: 'local_realtime', environment, maxRate: 20, stepSeconds: 1 });
    expect(refused.status).toBe(502);
    expect(refused.body.code).toBe('endpoint_unreachable');
  });
});

describe('exports', () => {
  it('CSV and Markdown carry the same figures, marked measured or estimated', async () => {
    const csv = await call(exportRoute, { path: `/api/v1/models/${MODEL}/versions/1/deployment-options/export?format=csv&latencyTargetMs=200`, token: viewer.token, params: { name: MODEL, version: '1' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${MODEL}-v1-deployment-options.csv"`);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^local_realtime,local,.*,measured,.*,measured,/);
    expect(lines[2]).toMatch(/^kserve_realtime,kserve,.*,estimated,/);
    const md = await call(exportRoute, { path: `/api/v1/models/${MODEL}/versions/1/deployment-options/export?latencyTargetMs=200`, token: viewer.token, params: { name: MODEL, version: '1' } });
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.text).toContain(`# Deployment options: ${MODEL} v1`);
    expect(md.text).toMatch(/\| Local real-time \*\*\(recommended\)\*\* \| real-time \(REST, OIP v2\) \| [\d.]+ \(measured\)/);
    const bad = await call(exportRoute, { path: `/api/v1/models/${MODEL}/versions/1/deployment-options/export?format=pdf`, token: viewer.token, params: { name: MODEL, version: '1' } });
    expect(bad.status).toBe(422);
  });
});
