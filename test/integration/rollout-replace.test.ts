import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { db } from '@/lib/db';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { createEnvironment } from '@/lib/server/environments/create-environment';
import { getBoss, stopBoss } from '@/lib/server/jobs/queue';
import { resumeRollouts } from '@/lib/server/jobs/resume-rollouts';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { call, createTestUser, rawQuery, waitFor } from '../helpers';
import { api, waitUntilLive } from '../registry-api';
import { startModelServer, waitUntilReady, type RunningModelServer } from './model-server-harness';

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
let server: RunningModelServer;
let artifactDir: string;

const ENV = 'development';

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** A logistic model whose only weight on the first feature is `w`: its answers tell versions apart. */
const modelBytes = (w: number) => writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [w, 0, 0], bias: 0 });

async function newModelWithVersions(weights: number[]) {
  const name = unique('rollout');
  expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
  for (const [i, w] of weights.entries()) {
    expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);
    const uploaded = await api.upload(engineer.token, name, i + 1, modelBytes(w));
    expect(uploaded.status, uploaded.text).toBe(200);
  }
  return name;
}

async function configureBackend(environment: string, url: string, token: string) {
  const response = await call(putBackendRoute, {
    path: `/api/v1/environments/${environment}/backend`,
    method: 'PUT',
    token: admin.token,
    json: { type: 'local', config: { url, timeoutSeconds: 5 }, secret: token },
    params: { environment },
  });
  expect(response.status, response.text).toBe(200);
}

async function infer(endpoint: string, model: string) {
  const response = await fetch(`${endpoint}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: [1, 0, 0] }] }),
  });
  return { status: response.status, body: (await response.json()) as { model_version?: string; error?: string } };
}

async function loadedVersions(model: string) {
  const response = await fetch(`${server.url}/manage/state`, { headers: { authorization: `Bearer ${server.token}` } });
  const state = (await response.json()) as { environments: { environment: string; models: { model: string; versions: { version: string }[] }[] }[] };
  return (state.environments.find((e) => e.environment === ENV)?.models.find((m) => m.model === model)?.versions ?? []).map((v) => Number(v.version)).sort();
}

async function promoteAndWait(name: string, version: number, environment = ENV) {
  const requested = await api.requestPromotion(engineer.token, name, version, { environment });
  expect(requested.status, requested.text).toBe(201);
  return requested.body.id as string;
}

async function releaseSettled(id: string) {
  return waitFor(async () => {
    const release = await db().release.findUniqueOrThrow({ where: { id } });
    return release.status === 'live' || release.status === 'failed' ? release : null;
  }, 30_000);
}

beforeAll(async () => {
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  // Retries after 1, 2 and 4 s, so giving up on a dead backend takes seconds, not minutes.
  process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS = '1';
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  [admin, engineer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer'])]);
  server = await startModelServer();
  await waitUntilReady(server);
  await configureBackend(ENV, server.url, server.token);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  await server?.stop();
  await rm(artifactDir, { recursive: true, force: true });
});

describe('replace rollouts on the reference model server', () => {
  it('loads, switches all traffic, unloads the replaced version, and rolls back without approval', async () => {
    const name = await newModelWithVersions([5, -5]);
    await promoteAndWait(name, 1);
    const first = await waitUntilLive(engineer.token, name, ENV, 1, 30_000);
    expect(first.endpoint).toBe(`${server.url}/environments/${ENV}`);
    expect(first.traffic).toEqual([{ version: 1, percent: 100, slot: 'primary' }]);
    expect((await infer(first.endpoint, name)).body.model_version).toBe('1');

    const second = await promoteAndWait(name, 2);
    await waitUntilLive(engineer.token, name, ENV, 2, 30_000);
    expect((await infer(first.endpoint, name)).body.model_version).toBe('2');
    await waitFor(async () => JSON.stringify(await loadedVersions(name)) === '[2]', 15_000);
    const rollout = await waitFor(async () => {
      const progress = (await db().release.findUniqueOrThrow({ where: { id: second } })).rollout as { phase: string; events: { message: string }[] };
      return progress.phase === 'done' ? progress : null;
    });
    expect(rollout.events.map((e) => e.message)).toEqual(
      expect.arrayContaining(['v2 loaded and warmed up', '100 % of traffic on v2', 'v1 unloaded after its in-flight requests finished']),
    );

    const rolledBack = await api.rollback(engineer.token, name, ENV);
    expect(rolledBack.status, rolledBack.text).toBe(202);
    expect(rolledBack.body).toMatchObject({ liveVersion: 1, pending: true });
    await waitUntilLive(engineer.token, name, ENV, 1, 30_000);
    expect((await infer(first.endpoint, name)).body.model_version).toBe('1');
    await waitFor(async () => JSON.stringify(await loadedVersions(name)) === '[1]', 15_000);
    expect((await db().release.findUniqueOrThrow({ where: { id: second } })).status).toBe('rolled_back');
    // Nothing is left to roll back to: v1 was the first version live here.
    expect((await api.rollback(engineer.token, name, ENV)).body.code).toBe('no_previous_release');
  });

  it('refuses a corrupt artifact before traffic moves, with the reason on the release', async () => {
    const name = await newModelWithVersions([5]);
    await promoteAndWait(name, 1);
    const state = await waitUntilLive(engineer.token, name, ENV, 1, 30_000);
    expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);
    expect((await api.upload(engineer.token, name, 2, 'this is not an onnx model')).status).toBe(200);

    const release = await releaseSettled(await promoteAndWait(name, 2));
    expect(release.status).toBe('failed');
    expect(release.statusReason).toMatch(/^Refused before any traffic moved: Model server: /);
    expect((await infer(state.endpoint, name)).body.model_version).toBe('1');
    expect(await loadedVersions(name)).toEqual([1]);
  });

  it('refuses a version without an artifact, naming what is missing', async () => {
    const name = await newModelWithVersions([5]);
    expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);
    const release = await releaseSettled(await promoteAndWait(name, 2));
    expect(release.status).toBe('failed');
    expect(release.statusReason).toMatch(/v2 has no artifact sha256 recorded/);
  });

  it('retries a backend that is down, then fails with the reason while the previous version keeps serving', async () => {
    const environment = unique('flaky');
    await createEnvironment(admin.ctx, { name: environment });
    await configureBackend(environment, server.url, server.token);
    const name = await newModelWithVersions([5, -5]);
    await promoteAndWait(name, 1, environment);
    const state = await waitUntilLive(engineer.token, name, environment, 1, 30_000);

    await configureBackend(environment, 'http://127.0.0.1:1', server.token);
    const releaseId = await promoteAndWait(name, 2, environment);
    const release = await waitFor(async () => {
      const found = await db().release.findUniqueOrThrow({ where: { id: releaseId } });
      return found.status === 'failed' ? found : null;
    }, 45_000);
    expect(release.statusReason).toMatch(/^Gave up after 4 attempts: The model server at http:\/\/127\.0\.0\.1:1 is unreachable/);
    const events = (release.rollout as { events: { message: string }[] }).events.map((e) => e.message);
    expect(events.filter((m) => m.startsWith('Attempt '))).toHaveLength(3);
    expect((await api.environmentState(engineer.token, name, environment)).body.liveVersion).toBe(1);
    expect((await infer(state.endpoint, name)).body.model_version).toBe('1');
  }, 60_000);

  it('resumes a rollout whose worker died after it started deploying', async () => {
    const environment = unique('gated');
    await createEnvironment(admin.ctx, { name: environment, requiredApprovals: 1 });
    await configureBackend(environment, server.url, server.token);
    const name = await newModelWithVersions([5]);
    const id = await promoteAndWait(name, 1, environment);
    // As a worker killed with -9 right after committing approved → deploying leaves it: no job will come back soon.
    await rawQuery(`UPDATE releases SET status = 'deploying', "approvedAt" = now() WHERE id = '${id}'`);
    expect(await resumeRollouts(await getBoss())).toBeGreaterThanOrEqual(1);
    const state = await waitUntilLive(engineer.token, name, environment, 1, 30_000);
    expect((await infer(state.endpoint, name)).body.model_version).toBe('1');
  });
});
