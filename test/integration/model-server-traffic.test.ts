/**
 * The model server's traffic behaviour: the split is respected, shadows are mirrored but
 * never answer, switching and unloading under load drops nothing, and a server killed with
 * -9 comes back to the same versions and split by itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  inferRows,
  loadVersion,
  request,
  setTraffic,
  startModelServer,
  waitUntilReady,
  writeModelArtifact,
  type RunningModelServer,
} from './model-server-harness';

const FEATURES = ['a', 'b', 'c'];
/** A ceiling, not an assertion: these tests send thousands of requests on a shared machine. */
const SLOW_TEST_MS = 180_000;
let dir: string;
const servers: RunningModelServer[] = [];

async function started(options: Parameters<typeof startModelServer>[0] = {}) {
  const server = await startModelServer(options);
  servers.push(server);
  await waitUntilReady(server);
  return server;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'model-server-traffic-'));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function artifact(name: string, weights: number[], kind: 'logistic' | 'linear' = 'logistic', bias = 0) {
  return writeModelArtifact(dir, `${name}.onnx`, { kind, featureNames: FEATURES, weights, bias });
}

async function load(server: RunningModelServer, env: string, model: string, version: string, file: { url: string; sha256: string }, task = 'classification') {
  const answer = await loadVersion(server, env, model, version, { artifactUrl: file.url, sha256: file.sha256, task });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** Runs `total` single-row requests, `concurrency` at a time; returns the answering version of each. */
async function hammer(server: RunningModelServer, env: string, model: string, total: number, concurrency = 16) {
  const versions: string[] = [];
  const failures: unknown[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const answer = await inferRows(server, env, model, [[1, 2, 3]]);
        if (answer.status === 200) versions.push(answer.body.model_version);
        else failures.push(answer);
      }
    }),
  );
  return { versions, failures };
}

const count = (values: string[], value: string) => values.filter((v) => v === value).length;

/** Polls the stats until `done` holds; shadow copies are answered after the caller is. */
async function statsWhen(server: RunningModelServer, env: string, model: string, done: (body: { shadow: { compared: number } | null }) => boolean) {
  for (let attempt = 0; attempt < 400; attempt++) {
    const answer = await request(server, 'GET', `/manage/environments/${env}/models/${model}/stats?windowSeconds=900`);
    if (done(answer.body)) return answer.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('stats never reached the expected state');
}

describe('traffic split', () => {
  it('routes 1000 requests 30/70 within binomial tolerance and counts them per version with roles', { timeout: SLOW_TEST_MS }, async () => {
    const server = await started();
    await load(server, 'production', 'churn', '1', await artifact('split-1', [1, 0, 0]));
    await load(server, 'production', 'churn', '2', await artifact('split-2', [0, 1, 0]));
    const traffic = await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 30 }, { version: '2', percent: 70 }] });
    expect(traffic.body.routes).toEqual([{ version: '1', percent: 30 }, { version: '2', percent: 70 }]);

    const { versions, failures } = await hammer(server, 'production', 'churn', 1000);
    expect(failures).toEqual([]);
    const share1 = count(versions, '1');
    // 4.5 standard deviations of Binomial(1000, 0.3): fails by chance about once in 150,000 runs.
    expect(Math.abs(share1 - 300)).toBeLessThanOrEqual(Math.ceil(4.5 * Math.sqrt(1000 * 0.3 * 0.7)));
    expect(share1 + count(versions, '2')).toBe(1000);

    const stats = await request(server, 'GET', '/manage/environments/production/models/churn/stats?windowSeconds=60');
    expect(stats.status).toBe(200);
    expect(stats.body.windowSeconds).toBe(60);
    expect(stats.body.shadow).toBeNull();
    const byVersion = Object.fromEntries(stats.body.versions.map((v: { version: string }) => [v.version, v]));
    expect(byVersion['1']).toMatchObject({ role: 'canary', requests: share1, errors: 0, errorRate: 0 });
    expect(byVersion['2']).toMatchObject({ role: 'primary', requests: 1000 - share1, errors: 0 });
    expect(byVersion['2'].latencyMs.p50).toBeGreaterThan(0);
    expect(byVersion['2'].latencyMs.p99).toBeGreaterThanOrEqual(byVersion['2'].latencyMs.p50);
    expect((await request(server, 'GET', '/manage/environments/production/models/churn/stats?windowSeconds=0')).status).toBe(400);
  });
});

describe('shadow', () => {
  it('mirrors requests to the shadow, never returns its answers, and measures label agreement', { timeout: SLOW_TEST_MS }, async () => {
    const server = await started();
    await load(server, 'production', 'fraud', '1', await artifact('shadow-1', [1, 0, 0]));
    await load(server, 'production', 'fraud', '2', await artifact('shadow-2', [0, 1, 0]));
    await setTraffic(server, 'production', 'fraud', { routes: [{ version: '1', percent: 100 }], shadow: { version: '2', percent: 100 } });

    // Version 1 predicts a > 0, version 2 predicts b > 0: they agree on rows 0 and 3 only.
    const rows = [
      [1, 1, 0],
      [1, -1, 0],
      [-1, 1, 0],
      [-1, -1, 0],
    ];
    for (let i = 0; i < 25; i++) {
      const answer = await inferRows(server, 'production', 'fraud', rows);
      expect(answer.body.model_version).toBe('1');
      expect(answer.body.outputs[1].data).toEqual([1, 1, 0, 0]);
    }
    const stats = await statsWhen(server, 'production', 'fraud', (b) => (b.shadow?.compared ?? 0) >= 100);
    expect(stats.shadow).toMatchObject({ version: '2', compared: 100, agreement: 0.5, meanAbsoluteDifference: null });
    expect(stats.shadow.latencyMs.p50).toBeGreaterThan(0);
    const roles = Object.fromEntries(stats.versions.map((v: { version: string; role: string; requests: number }) => [v.version, [v.role, v.requests]]));
    expect(roles).toEqual({ '1': ['primary', 25], '2': ['shadow', 25] });
  });

  it('measures the mean absolute difference of regression shadows', { timeout: SLOW_TEST_MS }, async () => {
    const server = await started();
    await load(server, 'staging', 'price', '1', await artifact('reg-1', [1, 0, 0], 'linear'), 'regression');
    await load(server, 'staging', 'price', '2', await artifact('reg-2', [1, 0, 0], 'linear', 0.5), 'regression');
    await setTraffic(server, 'staging', 'price', { routes: [{ version: '1', percent: 100 }], shadow: { version: '2', percent: 100 } });
    for (let i = 0; i < 10; i++) expect((await inferRows(server, 'staging', 'price', [[i, 0, 0]])).body.outputs[0].data[0]).toBe(i);
    const stats = await statsWhen(server, 'staging', 'price', (b) => (b.shadow?.compared ?? 0) >= 10);
    expect(stats.shadow).toMatchObject({ compared: 10, agreement: null });
    expect(stats.shadow.meanAbsoluteDifference).toBeCloseTo(0.5, 6);
  });
});

describe('switching under load', () => {
  it('switches traffic and unloads the old version while requests run, without one failure', { timeout: SLOW_TEST_MS }, async () => {
    const server = await started();
    await load(server, 'production', 'churn', '1', await artifact('drain-1', [1, 0, 0]));
    await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 100 }] });
    const big = Array.from({ length: 2000 }, (_, i) => [i % 7, i % 5, i % 3]);

    let running = true;
    const answered: string[] = [];
    const failures: unknown[] = [];
    const clients = Array.from({ length: 12 }, async () => {
      while (running) {
        const answer = await inferRows(server, 'production', 'churn', big);
        if (answer.status === 200 && answer.body.outputs[0].data.length === 2000) answered.push(answer.body.model_version);
        else failures.push(answer);
      }
    });
    const waitForAnswers = async (version: string, n: number) => {
      while (count(answered, version) < n && failures.length === 0) await new Promise((r) => setTimeout(r, 5));
    };

    await waitForAnswers('1', 20);
    await load(server, 'production', 'churn', '2', await artifact('drain-2', [0, 1, 0]));
    expect((await setTraffic(server, 'production', 'churn', { routes: [{ version: '2', percent: 100 }] })).status).toBe(200);
    const unloaded = await request(server, 'DELETE', '/manage/environments/production/models/churn/versions/1');
    expect(unloaded.status).toBe(200);
    await waitForAnswers('2', 20);
    running = false;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect(count(answered, '1')).toBeGreaterThanOrEqual(20);
    expect(count(answered, '2')).toBeGreaterThanOrEqual(20);
    expect((await inferRows(server, 'production', 'churn', [[1, 2, 3]], {}, '1')).status).toBe(404);
  });
});

describe('restart', () => {
  it('serves the same versions at the same split after kill -9, and refuses a cached artifact changed on disk', { timeout: SLOW_TEST_MS }, async () => {
    const first = await started();
    await load(first, 'production', 'churn', '1', await artifact('restart-1', [1, 0, 0]));
    await load(first, 'production', 'churn', '2', await artifact('restart-2', [0, 1, 0]));
    await load(first, 'production', 'churn', '3', await artifact('restart-3', [0, 0, 1]));
    await load(first, 'staging', 'churn', '3', await artifact('restart-3s', [0, 0, 1]));
    await setTraffic(first, 'production', 'churn', { routes: [{ version: '1', percent: 30 }, { version: '2', percent: 70 }], shadow: { version: '3', percent: 50 } });
    await setTraffic(first, 'staging', 'churn', { routes: [{ version: '3', percent: 100 }] });
    const before = await request(first, 'GET', '/manage/state');
    await first.kill9();

    const stagingDir = path.join(first.stateDir, 'artifacts', 'staging', 'churn');
    const [stagingFile] = await readdir(stagingDir);
    await writeFile(path.join(stagingDir, stagingFile!), 'tampered');

    const second = await started({ stateDir: first.stateDir, token: first.token });
    const after = await request(second, 'GET', '/manage/state');
    const production = after.body.environments.find((e: { environment: string }) => e.environment === 'production').models[0];
    const productionBefore = before.body.environments.find((e: { environment: string }) => e.environment === 'production').models[0];
    expect(production).toEqual(productionBefore);
    expect(production.routes).toEqual([{ version: '1', percent: 30 }, { version: '2', percent: 70 }]);
    expect(production.shadow).toEqual({ version: '3', percent: 50 });

    const { versions, failures } = await hammer(second, 'production', 'churn', 400);
    expect(failures).toEqual([]);
    expect(Math.abs(count(versions, '1') - 120)).toBeLessThanOrEqual(Math.ceil(4.5 * Math.sqrt(400 * 0.3 * 0.7)));
    expect(count(versions, '3')).toBe(0);

    const staging = after.body.environments.find((e: { environment: string }) => e.environment === 'staging').models[0];
    expect(staging.versions[0]).toMatchObject({ version: '3', status: 'failed' });
    expect(staging.versions[0].error).toMatch(/sha256 mismatch/);
    const refused = await inferRows(second, 'staging', 'churn', [[1, 2, 3]]);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatch(/not ready/);
  });

  it('answers 503 on readiness while reloading its state, then 200, and drops artifacts no version refers to', { timeout: SLOW_TEST_MS }, async () => {
    const first = await started();
    await load(first, 'production', 'slow', '1', await artifact('reload-1', [1, 0, 0]));
    await setTraffic(first, 'production', 'slow', { routes: [{ version: '1', percent: 100 }] });
    await first.kill9();

    // The cached artifact becomes a named pipe: re-verifying it blocks until the test writes to it.
    const cacheDir = path.join(first.stateDir, 'artifacts', 'production', 'slow');
    const [cached] = await readdir(cacheDir);
    await rm(path.join(cacheDir, cached!));
    execFileSync('mkfifo', [path.join(cacheDir, cached!)]);
    await writeFile(path.join(cacheDir, 'left-over.onnx'), 'from an interrupted unload');

    const second = await startModelServer({ stateDir: first.stateDir, token: first.token });
    servers.push(second);
    expect(await request(second, 'GET', '/v2/health/ready')).toEqual({ status: 503, body: { ready: false } });
    expect((await request(second, 'GET', '/v2/health/live')).status).toBe(200);
    const during = await inferRows(second, 'production', 'slow', [[1, 2, 3]]);
    expect(during.status).toBe(503);
    expect(during.body.error).toMatch(/not ready \(loading\)/);
    expect((await request(second, 'GET', '/manage/state')).body).toMatchObject({ ready: false, environments: [{ models: [{ versions: [{ status: 'loading' }] }] }] });

    await writeFile(path.join(cacheDir, cached!), 'not the bytes that were registered');
    await waitUntilReady(second);
    expect((await request(second, 'GET', '/manage/state')).body.environments[0].models[0].versions[0]).toMatchObject({ status: 'failed' });
    expect(await readdir(cacheDir)).toEqual([cached]);
  });
});
