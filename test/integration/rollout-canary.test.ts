import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { POST as abortRoute } from '@/app/api/v1/releases/[id]/abort/route';
import { POST as pauseRoute } from '@/app/api/v1/releases/[id]/pause/route';
import { POST as promoteNowRoute } from '@/app/api/v1/releases/[id]/promote-now/route';
import { POST as resumeRoute } from '@/app/api/v1/releases/[id]/resume/route';
import { db } from '@/lib/db';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { getBoss, stopBoss } from '@/lib/server/jobs/queue';
import { resumeRollouts } from '@/lib/server/jobs/resume-rollouts';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { deployRelease } from '@/lib/server/promotions/deploy-release';
import type { RolloutProgress } from '@/lib/server/deployments/rollout-progress';
import { call, createTestUser, rawQuery, waitFor } from '../helpers';
import { api, waitUntilLive } from '../registry-api';
import { writeFaultyModel } from './faulty-model';
import { startModelServer, waitUntilReady, type RunningModelServer } from './model-server-harness';

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
let reviewer: User;
let server: RunningModelServer;
let artifactDir: string;

const ENV = 'development';
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const logistic = (w: number) => writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [w, 0, 0], bias: 0 });

const CONTROLS = { pause: pauseRoute, resume: resumeRoute, abort: abortRoute, 'promote-now': promoteNowRoute } as const;
function control(token: string, id: string, name: keyof typeof CONTROLS) {
  return call(CONTROLS[name], { path: `/api/v1/releases/${id}/${name}`, method: 'POST', token, params: { id } });
}

async function newModel(artifacts: Uint8Array[]) {
  const name = unique('canary');
  expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
  for (const [i, bytes] of artifacts.entries()) {
    expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);
    const uploaded = await api.upload(engineer.token, name, i + 1, bytes);
    expect(uploaded.status, uploaded.text).toBe(200);
  }
  return name;
}

async function makeV1Live(name: string) {
  expect((await api.requestPromotion(engineer.token, name, 1, { environment: ENV })).status).toBe(201);
  await waitUntilLive(engineer.token, name, ENV, 1, 30_000);
}

/** v1 live on the backend (unless it is already), then `version` requested with `strategy`; returns the release id. */
async function requestOverLive(name: string, version: number, strategy: object) {
  if ((await api.environmentState(engineer.token, name, ENV)).body.liveVersion !== 1) await makeV1Live(name);
  const requested = await api.requestPromotion(engineer.token, name, version, { environment: ENV, strategy });
  expect(requested.status, requested.text).toBe(201);
  return requested.body.id as string;
}

async function progressOf(id: string) {
  const release = await db().release.findUniqueOrThrow({ where: { id } });
  return { release, progress: release.rollout as RolloutProgress };
}

const releaseIn = (id: string, statuses: string[], timeoutMs = 45_000) =>
  waitFor(async () => {
    const found = await progressOf(id);
    return statuses.includes(found.release.status) ? found : null;
  }, timeoutMs).catch(async (error: unknown) => {
    const { release, progress } = await progressOf(id);
    throw new Error(`${(error as Error).message}: release ${release.status}, ${JSON.stringify(progress.events?.map((e) => e.message))}`);
  });

async function loadedVersions(model: string) {
  const response = await fetch(`${server.url}/manage/state`, { headers: { authorization: `Bearer ${server.token}` } });
  const state = (await response.json()) as { environments: { environment: string; models: { model: string; versions: { version: string }[]; shadow: unknown }[] }[] };
  const entry = state.environments.find((e) => e.environment === ENV)?.models.find((m) => m.model === model);
  return { versions: (entry?.versions ?? []).map((v) => Number(v.version)).sort(), shadow: entry?.shadow ?? null };
}

/**
 * Requests sent to the environment's endpoint by a few concurrent callers, as an application
 * would; each answer records which version served it (`model_version`) and its status.
 */
function sendTraffic(model: string, row: () => number[] = () => [1, 0, 0]) {
  const samples: { at: number; status: number; version: string | null }[] = [];
  let running = true;
  const endpoint = `${server.url}/environments/${ENV}/v2/models/${model}/infer`;
  const loop = async () => {
    while (running) {
      const data = row();
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data }] }),
      }).catch(() => null);
      const body = response ? ((await response.json().catch(() => ({}))) as { model_version?: string }) : {};
      samples.push({ at: Date.now(), status: response?.status ?? 0, version: body.model_version ?? null });
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const loops = [loop(), loop(), loop()];
  return {
    samples,
    since: (from: number) => samples.filter((s) => s.at >= from),
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

const share = (samples: { version: string | null }[], version: string) => samples.filter((s) => s.version === version).length / samples.length;

beforeAll(async () => {
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS = '1';
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  [admin, engineer, reviewer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer']), createTestUser(['reviewer'])]);
  server = await startModelServer();
  await waitUntilReady(server);
  const configured = await call(putBackendRoute, {
    path: `/api/v1/environments/${ENV}/backend`,
    method: 'PUT',
    token: admin.token,
    json: {
      type: 'local',
      config: { url: server.url, timeoutSeconds: 5 },
      secret: server.token,
      // Latency is judged loosely here: a shared CI machine makes small-sample p95s noisy, and the
      // latency rule has its unit tests; these tests are about traffic, errors and the controls.
      canary: { intervalSeconds: 60, minRequests: 10, maxErrorRateIncrease: 1, maxLatencyRatio: 4 },
    },
    params: { environment: ENV },
  });
  expect(configured.status, configured.text).toBe(200);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  await server?.stop();
  await rm(artifactDir, { recursive: true, force: true });
});

describe('canary rollouts on the reference model server', () => {
  it('moves traffic step by step at the configured share, analyses each step, and ends with the canary as the primary', async () => {
    const name = await newModel([logistic(5), logistic(-5)]);
    await makeV1Live(name);
    const traffic = sendTraffic(name);
    try {
      const id = await requestOverLive(name, 2, { type: 'canary', steps: [20, 60, 100], intervalSeconds: 3 });
      const stepOne = await waitFor(async () => {
        const { progress } = await progressOf(id);
        return progress.canary?.current === 0 ? progress.canary : null;
      }, 30_000);
      expect(stepOne.primaryVersion).toBe(1);
      expect(stepOne.intervalSeconds).toBe(3);
      const state = await api.environmentState(engineer.token, name, ENV);
      expect(state.body.traffic).toEqual([
        { version: 1, percent: 80, slot: 'primary' },
        { version: 2, percent: 20, slot: 'canary' },
      ]);
      // Answers during step 1 (after its switch was committed) come from v2 about 20 % of the time.
      const stepOneStart = Date.parse(stepOne.intervalStartedAt) + 200;
      await waitFor(async () => ((await progressOf(id)).progress.canary?.current ?? 0) >= 1, 30_000);
      const stepTwoStart = Date.parse((await progressOf(id)).progress.canary!.intervalStartedAt);
      const duringOne = traffic.since(stepOneStart).filter((s) => s.at < stepTwoStart);
      expect(duringOne.length).toBeGreaterThan(100);
      expect(share(duringOne, '2')).toBeGreaterThan(0.1);
      expect(share(duringOne, '2')).toBeLessThan(0.3);

      const { release, progress } = await releaseIn(id, ['live', 'aborted', 'failed']);
      expect(release.status, release.statusReason ?? '').toBe('live');
      const duringTwo = traffic.since(stepTwoStart + 200).filter((s) => s.at < Date.parse(release.liveAt!.toISOString()));
      expect(share(duringTwo, '2')).toBeGreaterThan(0.45);
      expect(share(duringTwo, '2')).toBeLessThan(0.75);
      expect(progress.canary!.steps.map((s) => [s.percent, s.outcome])).toEqual([
        [20, 'pass'],
        [60, 'pass'],
        [100, 'pass'],
      ]);
      const analysis = progress.canary!.steps[0]!.analyses.at(-1)!;
      expect(analysis.verdict).toBe('pass');
      expect(analysis.canary.requests).toBeGreaterThanOrEqual(10);
      expect(analysis.canary.errorRate).toBe(0);
      expect(analysis.checks.map((c) => c.name)).toEqual(['requests', 'errorRate', 'latency']);

      const liveFrom = Date.now();
      await waitFor(() => traffic.since(liveFrom).length >= 50, 10_000);
      expect(share(traffic.since(liveFrom), '2')).toBe(1);
      await waitFor(async () => JSON.stringify((await loadedVersions(name)).versions) === '[2]', 15_000);
      expect((await api.environmentState(engineer.token, name, ENV)).body.traffic).toEqual([{ version: 2, percent: 100, slot: 'primary' }]);
      // Rolling back restores v1, the version the canary replaced.
      expect((await api.rollback(engineer.token, name, ENV)).status).toBe(202);
      await waitUntilLive(engineer.token, name, ENV, 1, 30_000);
    } finally {
      await traffic.stop();
    }
    expect(traffic.samples.filter((s) => s.status !== 200)).toEqual([]);
  }, 90_000);

  it('aborts a canary that fails on inference and rolls back by itself, with the reason and the figures recorded', async () => {
    const name = await newModel([logistic(5), writeFaultyModel([5, 0, 0])]);
    await makeV1Live(name);
    const traffic = sendTraffic(name);
    try {
      const id = await requestOverLive(name, 2, { type: 'canary', steps: [50, 100], intervalSeconds: 2 });
      const { release, progress } = await releaseIn(id, ['aborted', 'live', 'failed']);
      expect(release.status).toBe('aborted');
      expect(release.statusReason).toMatch(/^Canary analysis failed over \d+ s: error rate 100\.0 % vs primary 0\.0 % \(at most 1\.0 %\)/);
      const analysis = progress.canary!.steps[0]!.analyses.at(-1)!;
      expect(analysis.verdict).toBe('fail');
      expect(analysis.canary.errors).toBe(analysis.canary.requests);
      expect(analysis.primary.errors).toBe(0);
      expect(progress.canary!.steps[0]!.outcome).toBe('fail');

      await waitFor(async () => JSON.stringify((await loadedVersions(name)).versions) === '[1]', 15_000);
      const after = Date.now();
      await waitFor(() => traffic.since(after).length >= 50, 10_000);
      expect(traffic.since(after).every((s) => s.status === 200 && s.version === '1')).toBe(true);
      const state = await api.environmentState(engineer.token, name, ENV);
      expect(state.body).toMatchObject({ liveVersion: 1, traffic: [{ version: 1, percent: 100, slot: 'primary' }], rollingOut: null });
      const audit = await db().auditEntry.findFirst({ where: { targetId: id, action: 'release.abort' } });
      expect(audit?.actorId ?? null).toBeNull();
      expect(JSON.stringify(audit?.after)).toContain('"errorRate":1');
    } finally {
      await traffic.stop();
    }
  }, 90_000);

  it('waits while the canary gets too few requests, then aborts after the bounded extensions, saying so', async () => {
    const name = await newModel([logistic(5), logistic(-5)]);
    const id = await requestOverLive(name, 2, { type: 'canary', steps: [10, 100], intervalSeconds: 1 });
    const { release, progress } = await releaseIn(id, ['aborted', 'live', 'failed'], 30_000);
    expect(release.status).toBe('aborted');
    expect(release.statusReason).toMatch(/^Too few canary requests to judge: 0 in \d+ s after 3 extra intervals \(10 needed\)/);
    expect(progress.canary!.steps[0]!.analyses.map((a) => a.verdict)).toEqual(['insufficient', 'insufficient', 'insufficient', 'insufficient']);
    expect(progress.events!.filter((e) => e.message.startsWith('Only 0 canary requests'))).toHaveLength(3);
  }, 60_000);

  it('pauses, resumes and promotes now, each once when clicked twice at once; only engineers and admins may', async () => {
    const name = await newModel([logistic(5), logistic(-5)]);
    await makeV1Live(name);
    const traffic = sendTraffic(name);
    try {
      const id = await requestOverLive(name, 2, { type: 'canary', steps: [10, 50, 100], intervalSeconds: 2 });
      await waitFor(async () => (await progressOf(id)).progress.phase === 'canary', 30_000);
      expect((await control(reviewer.token, id, 'pause')).status).toBe(403);

      const pauses = await Promise.all([control(engineer.token, id, 'pause'), control(admin.token, id, 'pause')]);
      expect(pauses.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(pauses.find((r) => r.status === 409)!.body.code).toBe('invalid_transition');
      // Paused for three intervals: no analysis runs and the split stays at step 1.
      await new Promise((r) => setTimeout(r, 6_000));
      const paused = await progressOf(id);
      expect(paused.release.status).toBe('paused');
      expect(paused.progress.canary!.current).toBe(0);
      expect(paused.progress.canary!.steps[0]!.analyses).toEqual([]);
      expect((await api.environmentState(engineer.token, name, ENV)).body.traffic).toEqual([
        { version: 1, percent: 90, slot: 'primary' },
        { version: 2, percent: 10, slot: 'canary' },
      ]);

      const resumes = await Promise.all([control(engineer.token, id, 'resume'), control(engineer.token, id, 'resume')]);
      expect(resumes.map((r) => r.status).sort()).toEqual([200, 409]);
      expect((await progressOf(id)).release.status).toBe('deploying');

      const promotes = await Promise.all([control(engineer.token, id, 'promote-now'), control(admin.token, id, 'promote-now')]);
      expect(promotes.map((r) => r.status).sort()).toEqual([200, 409]);
      const { release, progress } = await releaseIn(id, ['live', 'aborted', 'failed']);
      expect(release.status).toBe('live');
      expect(progress.canary!.steps[0]!.outcome).toBe('promoted');
      expect(progress.events!.some((e) => /^Promote now by /.test(e.message))).toBe(true);
      const after = Date.now();
      await waitFor(() => traffic.since(after).length >= 30, 10_000);
      expect(share(traffic.since(after), '2')).toBe(1);
      // A live release cannot be paused or aborted any more.
      expect((await control(engineer.token, id, 'abort')).body.code).toBe('invalid_transition');

      const actions = (await db().auditEntry.findMany({ where: { targetId: id }, orderBy: { seq: 'asc' } })).map((a) => a.action);
      expect(actions.filter((a) => a === 'release.pause')).toHaveLength(1);
      expect(actions.filter((a) => a === 'release.resume')).toHaveLength(1);
      expect(actions.filter((a) => a === 'release.promote_now')).toHaveLength(1);
    } finally {
      await traffic.stop();
    }
    expect(traffic.samples.filter((s) => s.status !== 200)).toEqual([]);
  }, 90_000);

  it('aborts on request: all traffic back on the primary and the canary unloaded; nothing else switches traffic meanwhile', async () => {
    const name = await newModel([logistic(5), logistic(-5), logistic(1)]);
    const id = await requestOverLive(name, 2, { type: 'canary', steps: [30, 100], intervalSeconds: 60 });
    await waitFor(async () => (await progressOf(id)).progress.phase === 'canary', 30_000);
    expect(await loadedVersions(name)).toMatchObject({ versions: [1, 2] });
    const other = await api.requestPromotion(engineer.token, name, 3, { environment: ENV });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'rollout_in_progress', detail: `A canary of v2 is running in ${ENV}; promote, abort or stop it first.` });
    expect((await api.rollback(engineer.token, name, ENV)).body.code).toBe('rollout_in_progress');
    const aborts = await Promise.all([control(engineer.token, id, 'abort'), control(engineer.token, id, 'abort')]);
    expect(aborts.map((r) => r.status).sort()).toEqual([200, 409]);
    const { release } = await releaseIn(id, ['aborted']);
    expect(release.statusReason).toBe(`Aborted by ${engineer.user.email}.`);
    await waitFor(async () => JSON.stringify((await loadedVersions(name)).versions) === '[1]', 15_000);
    await waitFor(async () => (await progressOf(id)).progress.phase === 'aborted', 15_000);
    expect((await api.environmentState(engineer.token, name, ENV)).body.traffic).toEqual([{ version: 1, percent: 100, slot: 'primary' }]);
  }, 60_000);

  it('resumes a canary whose step job was lost (worker killed mid-step) from its committed step', async () => {
    const name = await newModel([logistic(5), logistic(-5)]);
    await makeV1Live(name);
    const traffic = sendTraffic(name);
    try {
      const id = await requestOverLive(name, 2, { type: 'canary', steps: [25, 100], intervalSeconds: 2 });
      await waitFor(async () => (await progressOf(id)).progress.phase === 'canary', 30_000);
      // As kill -9 mid-step can leave it: the scheduled step job gone, the release deploying.
      await rawQuery(`DELETE FROM pgboss.job WHERE name = 'release-deploy' AND data->>'releaseId' = '${id}' AND state IN ('created', 'retry', 'active')`);
      // Running the job before the step is due changes nothing.
      await deployRelease(id);
      expect((await progressOf(id)).progress.canary!.steps[0]!.analyses).toEqual([]);
      await rawQuery(`DELETE FROM pgboss.job WHERE name = 'release-deploy' AND data->>'releaseId' = '${id}' AND state IN ('created', 'retry', 'active')`);
      expect(await resumeRollouts(await getBoss())).toBeGreaterThanOrEqual(1);
      const { release, progress } = await releaseIn(id, ['live', 'aborted', 'failed']);
      expect(release.status, release.statusReason ?? '').toBe('live');
      expect(progress.canary!.steps.map((s) => s.outcome)).toEqual(['pass', 'pass']);
      expect(progress.canary!.steps[0]!.analyses).toHaveLength(1);
    } finally {
      await traffic.stop();
    }
  }, 60_000);
});

describe('shadow releases', () => {
  it('mirrors requests without answering them, reports agreement and latency, and promotes through a replace request', async () => {
    // v2 disagrees with v1 exactly when the first feature is positive.
    const name = await newModel([logistic(5), logistic(-5)]);
    let n = 0;
    const rows = [[1, 0, 0], [-1, 0, 0], [-2, 0, 0], [-3, 0, 0]];
    await makeV1Live(name);
    const traffic = sendTraffic(name, () => rows[n++ % rows.length]!);
    try {
      const id = await requestOverLive(name, 2, { type: 'shadow', percent: 100 });
      await waitFor(async () => (await progressOf(id)).progress.phase === 'shadow', 30_000);
      expect((await loadedVersions(name)).shadow).toEqual({ version: '2', percent: 100 });
      const stats = await waitFor(async () => {
        const detail = await api.getPromotion(engineer.token, id);
        return detail.body.shadowStats?.compared >= 100 ? detail.body.shadowStats : null;
      }, 30_000);
      expect(stats.version).toBe(2);
      // Labels: v1 says 1 for a > 0, v2 says 1 for a < 0; zero never comes up, so they agree on none.
      expect(stats.agreement).toBe(0);
      expect(stats.latencyMs.p95).toBeGreaterThan(0);
      expect(stats.primaryLatencyMs.p95).toBeGreaterThan(0);
      expect(traffic.samples.filter((s) => s.at > Date.now() - 2000).every((s) => s.version === '1')).toBe(true);
      expect((await api.environmentState(engineer.token, name, ENV)).body.traffic).toEqual([{ version: 1, percent: 100, slot: 'primary' }]);

      expect((await control(engineer.token, id, 'pause')).body.code).toBe('invalid_transition');
      const promoted = await control(engineer.token, id, 'promote-now');
      expect(promoted.status, promoted.text).toBe(200);
      expect(promoted.body.status).toBe('superseded');
      // development needs no approval: the replace request starts at once and v2 goes live.
      await waitUntilLive(engineer.token, name, ENV, 2, 30_000);
      const replace = await db().release.findUniqueOrThrow({ where: { id: promoted.body.promotionId } });
      expect(replace).toMatchObject({ strategy: 'replace', status: 'live' });
      await waitFor(async () => (await loadedVersions(name)).shadow === null && JSON.stringify((await loadedVersions(name)).versions) === '[2]', 15_000);
      // Ending the shadow did not undo the replace's switch, whichever job ran first.
      const after = Date.now();
      await waitFor(() => traffic.since(after).length >= 30, 10_000);
      expect(share(traffic.since(after), '2')).toBe(1);
    } finally {
      await traffic.stop();
    }
    expect(traffic.samples.filter((s) => s.status !== 200)).toEqual([]);
  }, 90_000);

  it('stops a shadow: the mirror ends and the shadow version is unloaded', async () => {
    const name = await newModel([logistic(5), logistic(-5)]);
    const id = await requestOverLive(name, 2, { type: 'shadow', percent: 25 });
    await waitFor(async () => (await progressOf(id)).progress.phase === 'shadow', 30_000);
    expect((await loadedVersions(name)).shadow).toEqual({ version: '2', percent: 25 });
    const stopped = await control(engineer.token, id, 'abort');
    expect(stopped.status, stopped.text).toBe(200);
    expect((await progressOf(id)).release.statusReason).toBe(`Shadow stopped by ${engineer.user.email}.`);
    await waitFor(async () => {
      const loaded = await loadedVersions(name);
      return loaded.shadow === null && JSON.stringify(loaded.versions) === '[1]';
    }, 15_000);
  }, 60_000);
});
