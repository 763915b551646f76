import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import type { Environment } from '@/lib/generated/prisma/client';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { createTestUser, waitFor } from '../helpers';
import { api, promote, waitUntilLive } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let lead: User; // engineer + reviewer: requests, and must still not approve their own requests
let engineer: User;
let reviewer: User;
let reviewer2: User;
let manager: User;
let viewer: User;
let admin: User;
let artifactDir: string;
let productionDefaults: Environment;

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

async function newModel(prefix: string, versions: Record<string, number>[] = [{}]) {
  const name = unique(prefix);
  expect((await api.createModel(lead.token, { name })).status).toBe(201);
  for (const metrics of versions) expect((await api.registerVersion(lead.token, name, { metrics })).status).toBe(201);
  return name;
}

/** Through development and staging (no approvals needed there), as `lead`. */
async function toStaging(name: string, version: number) {
  await promote(lead.token, reviewer.token, name, version, 'development');
  await promote(lead.token, reviewer.token, name, version, 'staging');
}

async function requestProduction(name: string, version: number, token = lead.token) {
  const response = await api.requestPromotion(token, name, version, { environment: 'production', note: 'ready' });
  expect(response.status, response.text).toBe(201);
  expect(response.body.status).toBe('pending_approval');
  return response.body.id as string;
}

const actionsFor = async (targetId: string) =>
  (await db().auditEntry.findMany({ where: { targetId }, orderBy: { seq: 'asc' } })).map((entry) => entry.action);

beforeAll(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  [lead, engineer, reviewer, reviewer2, manager, viewer, admin] = await Promise.all([
    createTestUser(['engineer', 'reviewer']),
    createTestUser(['engineer']),
    createTestUser(['reviewer']),
    createTestUser(['reviewer']),
    createTestUser(['manager']),
    createTestUser(['viewer']),
    createTestUser(['admin']),
  ]);
  productionDefaults = await db().environment.findUniqueOrThrow({ where: { name: 'production' } });
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterEach(async () => {
  // Each test changes production's rules as it needs; put the migration's defaults back.
  const { id: _id, createdAt: _c, updatedAt: _u, metricGates, ...rules } = productionDefaults;
  await db().environment.update({ where: { name: 'production' }, data: { ...rules, metricGates: metricGates ?? [] } });
});

afterAll(async () => {
  await stopBoss();
  delete process.env.ARTIFACT_DIR;
  await rm(artifactDir, { recursive: true, force: true });
});

describe('the core loop over REST', () => {
  it('registers, goes live in development and staging, and reaches production after a reviewer approves', async () => {
    const name = unique('loop');
    expect((await api.createModel(lead.token, { name, team: 'growth' })).status).toBe(201);
    const registered = await api.registerVersion(lead.token, name, { format: 'onnx', metrics: { accuracy: 0.9 } });
    expect(registered.status).toBe(201);
    expect((await api.upload(lead.token, name, 1, randomBytes(64))).status).toBe(200);

    // development needs no approval: approved at once, the worker makes it live.
    const toDevelopment = await api.requestPromotion(lead.token, name, 1, { environment: 'development' });
    expect(toDevelopment.status).toBe(201);
    expect(toDevelopment.body).toMatchObject({ status: 'approved', model: name, version: 1, environment: 'development', strategy: { type: 'replace' } });
    const development = await waitUntilLive(viewer.token, name, 'development', 1);
    expect(development).toMatchObject({ model: name, environment: 'development', liveVersion: 1, release: { id: toDevelopment.body.id, isRollback: false } });
    expect(Date.parse(development.since)).not.toBeNaN();

    await promote(lead.token, reviewer.token, name, 1, 'staging');

    // production: waits for a reviewer; its gates come with their numbers.
    await api.updateEnvironment(admin.token, 'production', { soakGateEnabled: true, minSoakMinutes: 0 });
    const releaseId = await requestProduction(name, 1);
    const pending = await api.getPromotion(reviewer.token, releaseId);
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ status: 'pending_approval', approvals: 0, requiredApprovals: 1, requestedBy: lead.user.email, note: 'ready', liveVersion: null });
    const gates = Object.fromEntries(pending.body.gates.map((g: { gate: string }) => [g.gate, g]));
    expect(gates.previous_environment).toMatchObject({ status: 'passed' });
    expect(gates.soak_time).toMatchObject({ status: 'passed', actual: 0, expected: 0 });
    expect(gates.soak_time.detail).toMatch(/staging/);
    expect((await api.listPromotions(reviewer.token, '?status=pending_approval')).body.items.map((r: { id: string }) => r.id)).toContain(releaseId);

    // Separation of duties: not the requester; not without releases:review.
    const own = await api.approve(lead.token, releaseId);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('self_approval');
    for (const outsider of [manager, viewer, engineer]) {
      const response = await api.approve(outsider.token, releaseId, { comment: 'lgtm' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('forbidden');
    }
    expect((await api.approve(undefined, releaseId)).status).toBe(401);
    expect((await db().release.findUniqueOrThrow({ where: { id: releaseId } })).status).toBe('pending_approval');
    expect(await db().approval.count({ where: { releaseId } })).toBe(0);

    const approved = await api.approve(reviewer.token, releaseId, { comment: 'metrics look good' });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ id: releaseId, status: 'approved' });
    await waitUntilLive(viewer.token, name, 'production', 1);

    const live = await api.getPromotion(viewer.token, releaseId);
    expect(live.body).toMatchObject({ status: 'live', approvals: 1 });
    expect(live.body.reviews).toEqual([{ reviewer: reviewer.user.email, decision: 'approve', comment: 'metrics look good', at: expect.any(String) }]);

    const model = await api.getModel(viewer.token, name);
    expect(model.status).toBe(200);
    expect(model.body.environments.map((lane: { environment: string; liveVersion: number | null; pending: unknown }) => [lane.environment, lane.liveVersion, lane.pending])).toEqual([
      ['development', 1, null],
      ['staging', 1, null],
      ['production', 1, null],
    ]);
    expect(model.body.versions[0]).toMatchObject({ version: 1, live: ['development', 'staging', 'production'] });
    expect(model.body.history).toHaveLength(3);
    expect((await api.getVersion(viewer.token, name, 1)).body.liveHistory).toHaveLength(3);

    expect(await actionsFor(releaseId)).toEqual(['promotion.request', 'promotion.approve', 'release.live']);
    expect(await actionsFor(name)).toEqual(['model.create']);
    expect(await actionsFor(`${name}@1`)).toEqual(['version.register', 'version.upload_artifact']);
    const approval = await db().auditEntry.findFirstOrThrow({ where: { action: 'promotion.approve', targetId: releaseId } });
    expect(approval.actorId).toBe(reviewer.user.id);
    expect(approval.before).toEqual({ status: 'pending_approval' });
    expect(approval.after).toMatchObject({ status: 'approved', approvals: 1, comment: 'metrics look good' });
  });

  it('needs the version to have been live in staging before production (422 gate_failed, errors.previous_environment)', async () => {
    const name = await newModel('skip-staging');
    await promote(lead.token, reviewer.token, name, 1, 'development');
    const response = await api.requestPromotion(lead.token, name, 1, { environment: 'production' });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('gate_failed');
    expect(Object.keys(response.body.errors)).toEqual(['previous_environment']);
    expect(response.body.errors.previous_environment[0]).toMatch(/never been live in staging/);
    expect(await db().release.count({ where: { model: { name }, environment: { name: 'production' } } })).toBe(0);
  });

  it('404s unknown models, versions, environments and releases', async () => {
    const name = await newModel('unknowns');
    expect((await api.requestPromotion(lead.token, 'no-such-model', 1, { environment: 'development' })).status).toBe(404);
    expect((await api.requestPromotion(lead.token, name, 5, { environment: 'development' })).status).toBe(404);
    expect((await api.requestPromotion(lead.token, name, 1, { environment: 'moon' })).status).toBe(404);
    expect((await api.environmentState(viewer.token, name, 'moon')).status).toBe(404);
    expect((await api.approve(reviewer.token, randomUUID())).status).toBe(404);
    expect((await api.getPromotion(reviewer.token, 'not-a-uuid')).status).toBe(404);
    const state = await api.environmentState(viewer.token, name, 'production');
    expect(state.body).toEqual({
      model: name,
      environment: 'production',
      liveVersion: null,
      since: null,
      release: null,
      backend: null,
      endpoint: null,
      traffic: [],
      rollingOut: null,
    });
  });
});

describe('reviews', () => {
  it('rejects only with a comment (422 without), ending the request as rejected', async () => {
    const name = await newModel('reject');
    await toStaging(name, 1);
    const releaseId = await requestProduction(name, 1);

    const noBody = await api.reject(reviewer.token, releaseId);
    expect(noBody.status).toBe(400);
    for (const json of [{}, { comment: '   ' }]) {
      const response = await api.reject(reviewer.token, releaseId, json);
      expect(response.status).toBe(422);
      expect(Object.keys(response.body.errors)).toEqual(['comment']);
    }
    expect((await api.reject(manager.token, releaseId, { comment: 'no' })).status).toBe(403);
    // Nothing was recorded by the refused attempts.
    expect((await db().release.findUniqueOrThrow({ where: { id: releaseId } })).status).toBe('pending_approval');
    expect(await db().approval.count({ where: { releaseId } })).toBe(0);
    expect(await actionsFor(releaseId)).toEqual(['promotion.request']);
  });

  it('records the reviewer, the comment and the end time of a rejection; later approvals are 409', async () => {
    const name = await newModel('reject2');
    await toStaging(name, 1);
    const releaseId = await requestProduction(name, 1);
    const rejected = await api.reject(reviewer.token, releaseId, { comment: 'accuracy regressed on segment B' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toEqual({ id: releaseId, status: 'rejected' });
    const release = await api.getPromotion(viewer.token, releaseId);
    expect(release.body).toMatchObject({ status: 'rejected', statusReason: 'accuracy regressed on segment B', endedAt: expect.any(String) });
    expect(release.body.reviews).toMatchObject([{ reviewer: reviewer.user.email, decision: 'reject', comment: 'accuracy regressed on segment B' }]);

    const late = await api.approve(reviewer2.token, releaseId);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('invalid_transition');
    const again = await api.reject(reviewer2.token, releaseId, { comment: 'me too' });
    expect(again.status).toBe(409);
    expect(await actionsFor(releaseId)).toEqual(['promotion.request', 'promotion.reject']);
    // A rejected request no longer blocks a new one.
    expect((await api.requestPromotion(lead.token, name, 1, { environment: 'production' })).status).toBe(201);
  });

  it('lets the requester cancel (others 403); a cancelled request cannot be approved (409 invalid_transition)', async () => {
    const name = await newModel('cancel');
    await toStaging(name, 1);
    const releaseId = await requestProduction(name, 1);

    const otherEngineer = await api.cancel(engineer.token, releaseId);
    expect(otherEngineer.status).toBe(403);
    expect(otherEngineer.body.code).toBe('not_requester');
    expect((await api.cancel(reviewer.token, releaseId)).status).toBe(403);

    const cancelled = await api.cancel(lead.token, releaseId);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ id: releaseId, status: 'cancelled' });

    const approve = await api.approve(reviewer.token, releaseId);
    expect(approve.status).toBe(409);
    expect(approve.body.code).toBe('invalid_transition');
    expect((await api.cancel(lead.token, releaseId)).status).toBe(409);
    expect(await db().approval.count({ where: { releaseId } })).toBe(0);
    expect(await actionsFor(releaseId)).toEqual(['promotion.request', 'promotion.cancel']);
    expect((await api.getModel(viewer.token, name)).body.environments[2].pending).toBeNull();
  });

  it('refuses a second open request for the same version and environment (409 request_open), even concurrently', async () => {
    const name = await newModel('open', [{}, {}]);
    await toStaging(name, 1);
    await toStaging(name, 2);
    await requestProduction(name, 1);
    const second = await api.requestPromotion(engineer.token, name, 1, { environment: 'production' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('request_open');

    const burst = await Promise.all(Array.from({ length: 6 }, () => api.requestPromotion(lead.token, name, 2, { environment: 'production' })));
    expect(burst.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(burst.filter((r) => r.status === 409).every((r) => r.body.code === 'request_open')).toBe(true);
    const version2 = await db().modelVersion.findFirstOrThrow({ where: { model: { name }, version: 2 } });
    expect(await db().release.count({ where: { versionId: version2.id, environment: { name: 'production' } } })).toBe(1);
  });

  it('refuses promoting what is already live there (409 already_live)', async () => {
    const name = await newModel('already');
    await promote(lead.token, reviewer.token, name, 1, 'development');
    const response = await api.requestPromotion(lead.token, name, 1, { environment: 'development' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('already_live');
  });
});

describe('the reviewers\' queue', () => {
  it('lists promotions newest first, filtered, paged by cursor; a malformed cursor is 400, never a 500', async () => {
    const name = await newModel('queue', [{}, {}, {}]);
    const ids: string[] = [];
    for (const version of [1, 2, 3]) {
      const response = await api.requestPromotion(lead.token, name, version, { environment: 'development' });
      ids.push(response.body.id);
    }
    const all = await api.listPromotions(viewer.token, `?model=${name}`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((r: { id: string }) => r.id)).toEqual([...ids].reverse());
    expect(all.body.items[0]).toMatchObject({ model: name, version: 3, environment: 'development', requestedBy: lead.user.email });

    const first = await api.listPromotions(viewer.token, `?model=${name}&limit=2`);
    const second = await api.listPromotions(viewer.token, `?model=${name}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect([...first.body.items, ...second.body.items].map((r: { id: string }) => r.id)).toEqual([...ids].reverse());
    expect(second.body.nextCursor).toBeNull();
    expect((await api.listPromotions(viewer.token, `?model=${name}&environment=staging`)).body.items).toEqual([]);

    for (const cursor of ['garbage', '2026-01-01T00:00:00.000Z|not-a-uuid', 'yesterday|00000000-0000-4000-8000-000000000000']) {
      const response = await api.listPromotions(viewer.token, `?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status, cursor).toBe(400);
      expect(response.body.code).toBe('invalid_cursor');
    }
    expect((await api.listPromotions(viewer.token, '?status=shipped')).status).toBe(422);
    // Let the worker finish these before the next test.
    await waitFor(async () => (await db().release.count({ where: { id: { in: ids }, status: { in: ['approved', 'deploying'] } } })) === 0);
  });
});

describe('environment rules', () => {
  it('lets only admins change rules (environment.update audited with before → after)', async () => {
    for (const outsider of [lead, reviewer, manager]) {
      expect((await api.updateEnvironment(outsider.token, 'production', { requiredApprovals: 0 })).status).toBe(403);
    }
    const invalid = await api.updateEnvironment(admin.token, 'production', { metricGates: [{ metric: 'accuracy', comparator: '>', tolerance: 0, enabled: true }] });
    expect(invalid.status).toBe(422);
    expect((await api.updateEnvironment(admin.token, 'moon', { requiredApprovals: 0 })).status).toBe(404);

    const updated = await api.updateEnvironment(admin.token, 'production', { requiredApprovals: 2, description: 'Real traffic' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'production', requiredApprovals: 2, description: 'Real traffic' });
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'environment.update', targetId: 'production' }, orderBy: { seq: 'desc' } });
    expect(entry.actorId).toBe(admin.user.id);
    expect(entry.before).toEqual({ requiredApprovals: 1, description: 'Serves real traffic.' });
    expect(entry.after).toEqual({ requiredApprovals: 2, description: 'Real traffic' });
  });

  it('with two required approvals, the first approval keeps the request pending and the second starts it', async () => {
    await api.updateEnvironment(admin.token, 'production', { requiredApprovals: 2 });
    const name = await newModel('two-approvals');
    await toStaging(name, 1);
    const releaseId = await requestProduction(name, 1);
    const first = await api.approve(reviewer.token, releaseId);
    expect(first.body).toEqual({ id: releaseId, status: 'pending_approval' });
    const twice = await api.approve(reviewer.token, releaseId);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('already_reviewed');
    const second = await api.approve(reviewer2.token, releaseId);
    expect(second.body).toEqual({ id: releaseId, status: 'approved' });
    await waitUntilLive(viewer.token, name, 'production', 1);
  });

  it('refuses a version worse than live beyond the metric gate tolerance (422 errors["metric:accuracy"])', async () => {
    const gate = { metric: 'accuracy', comparator: '>=', tolerance: 0.01, enabled: true };
    const enabled = await api.updateEnvironment(admin.token, 'production', { metricGates: [gate] });
    expect(enabled.status).toBe(200);
    expect(enabled.body.metricGates).toEqual([gate]);

    const name = await newModel('metric', [{ accuracy: 0.9 }, { accuracy: 0.85 }, { accuracy: 0.895 }]);
    await toStaging(name, 1);
    const first = await requestProduction(name, 1);
    expect((await api.approve(reviewer.token, first)).status).toBe(200);
    await waitUntilLive(viewer.token, name, 'production', 1);

    await toStaging(name, 2);
    const worse = await api.requestPromotion(lead.token, name, 2, { environment: 'production' });
    expect(worse.status).toBe(422);
    expect(worse.body.code).toBe('gate_failed');
    expect(Object.keys(worse.body.errors)).toEqual(['metric:accuracy']);
    expect(worse.body.errors['metric:accuracy'][0]).toMatch(/0\.85 vs accuracy >= live - 0\.01 = 0\.89/);

    // Within the tolerance: accepted, and the gate shows its numbers.
    await toStaging(name, 3);
    const within = await api.requestPromotion(lead.token, name, 3, { environment: 'production' });
    expect(within.status).toBe(201);
    const metricGate = within.body.gates.find((g: { gate: string }) => g.gate === 'metric:accuracy');
    expect(metricGate).toMatchObject({ status: 'passed', actual: 0.895 });
    expect(metricGate.expected).toBeCloseTo(0.89, 10);
    const detail = await api.getPromotion(reviewer.token, within.body.id);
    expect(detail.body.liveVersion).toMatchObject({ version: 1 });
    expect(detail.body.comparison.metrics).toEqual([{ name: 'accuracy', base: 0.9, other: 0.895, delta: expect.any(Number) }]);

    // Gates are evaluated again at approval: tightened meanwhile, the approval is refused.
    await api.updateEnvironment(admin.token, 'production', { metricGates: [{ ...gate, tolerance: 0 }] });
    const approval = await api.approve(reviewer.token, within.body.id);
    expect(approval.status).toBe(409);
    expect(approval.body.code).toBe('gate_failed');
    expect((await db().release.findUniqueOrThrow({ where: { id: within.body.id } })).status).toBe('pending_approval');
    expect(await db().approval.count({ where: { releaseId: within.body.id } })).toBe(0);
  });

  it('with authorCannotApprove, the version author cannot approve (403 author_approval) but another reviewer can', async () => {
    expect((await api.updateEnvironment(admin.token, 'production', { authorCannotApprove: true })).status).toBe(200);
    const name = await newModel('author'); // registered by lead
    await promote(engineer.token, reviewer.token, name, 1, 'development');
    await promote(engineer.token, reviewer.token, name, 1, 'staging');
    const releaseId = await requestProduction(name, 1, engineer.token);

    const author = await api.approve(lead.token, releaseId);
    expect(author.status).toBe(403);
    expect(author.body.code).toBe('author_approval');
    expect((await api.approve(reviewer.token, releaseId)).status).toBe(200);
    await waitUntilLive(viewer.token, name, 'production', 1);
  });

  it('with the soak gate, refuses a version that has not been live in staging long enough (422 soak_time)', async () => {
    expect((await api.updateEnvironment(admin.token, 'production', { soakGateEnabled: true, minSoakMinutes: 30 })).status).toBe(200);
    const name = await newModel('soak');
    await toStaging(name, 1);
    const early = await api.requestPromotion(lead.token, name, 1, { environment: 'production' });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('gate_failed');
    expect(Object.keys(early.body.errors)).toEqual(['soak_time']);
    expect(early.body.errors.soak_time[0]).toMatch(/Live in staging for 0 min; 30 min required/);

    // Once it has soaked (moved back in time here), the same request passes.
    const version = await db().modelVersion.findFirstOrThrow({ where: { model: { name }, version: 1 } });
    await db().release.updateMany({
      where: { versionId: version.id, environment: { name: 'staging' } },
      data: { liveAt: new Date(Date.now() - 31 * 60_000) },
    });
    const soaked = await api.requestPromotion(lead.token, name, 1, { environment: 'production' });
    expect(soaked.status).toBe(201);
    expect(soaked.body.gates.find((g: { gate: string }) => g.gate === 'soak_time')).toMatchObject({ status: 'passed', actual: 31, expected: 30 });
  });
});

describe('rollback', () => {
  it('refuses to bring back an archived version (409 version_archived) and leaves the live one in place', async () => {
    const name = await newModel('rollback-archived', [{}, {}]);
    await promote(lead.token, reviewer.token, name, 1, 'development');
    await promote(lead.token, reviewer.token, name, 2, 'development');
    expect((await api.archive(lead.token, name, 1)).status).toBe(200);
    const refused = await api.rollback(lead.token, name, 'development');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('version_archived');
    expect((await api.environmentState(viewer.token, name, 'development')).body.liveVersion).toBe(2);
  });

  it('puts the previous version back (202), goes one step further each time, and stops at the first (409 no_previous_release)', async () => {
    const name = await newModel('rollback', [{}, {}, {}]);
    await promote(lead.token, reviewer.token, name, 1, 'development');
    await promote(lead.token, reviewer.token, name, 2, 'development');
    const third = await promote(lead.token, reviewer.token, name, 3, 'development');

    expect((await api.rollback(reviewer.token, name, 'development')).status).toBe(403);
    expect((await api.rollback(viewer.token, name, 'development')).status).toBe(403);
    expect((await api.rollback(undefined, name, 'development')).status).toBe(401);

    const first = await api.rollback(lead.token, name, 'development', { expectedReleaseId: third });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ liveVersion: 2, release: { isRollback: true } });
    const state = await api.environmentState(viewer.token, name, 'development');
    expect(state.body).toMatchObject({ liveVersion: 2, release: { id: first.body.release.id, isRollback: true } });
    expect((await db().release.findUniqueOrThrow({ where: { id: third } })).status).toBe('rolled_back');

    // The caller saw v3 live; it no longer is.
    const stale = await api.rollback(lead.token, name, 'development', { expectedReleaseId: third });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('live_release_changed');
    expect((await api.environmentState(viewer.token, name, 'development')).body.liveVersion).toBe(2);

    const second = await api.rollback(lead.token, name, 'development');
    expect(second.status).toBe(202);
    expect(second.body.liveVersion).toBe(1);

    const none = await api.rollback(lead.token, name, 'development');
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('no_previous_release');
    expect((await api.environmentState(viewer.token, name, 'development')).body.liveVersion).toBe(1);

    const nothingLive = await api.rollback(lead.token, name, 'staging');
    expect(nothingLive.status).toBe(409);
    expect(nothingLive.body.code).toBe('nothing_live');

    const rollbacks = await db().auditEntry.findMany({ where: { action: 'release.rollback', targetId: `${name}/development` }, orderBy: { seq: 'asc' } });
    expect(rollbacks.map((e) => [e.before, e.after])).toEqual([
      [{ liveVersion: 3, releaseId: third }, { liveVersion: 2, releaseId: first.body.release.id }],
      [{ liveVersion: 2, releaseId: first.body.release.id }, { liveVersion: 1, releaseId: second.body.release.id }],
    ]);
    expect(rollbacks.every((e) => e.actorId === lead.user.id)).toBe(true);

    // A rolled-back version can be promoted again.
    await promote(lead.token, reviewer.token, name, 3, 'development');
    const live = await db().release.findMany({ where: { model: { name }, environment: { name: 'development' }, status: 'live' } });
    expect(live).toHaveLength(1);
  });
});

describe('audit', () => {
  it('has an entry for every kind of mutation, and the chain verifies', async () => {
    const actions = await db().auditEntry.findMany({ distinct: ['action'], select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'model.create',
        'version.register',
        'version.upload_artifact',
        'promotion.request',
        'promotion.approve',
        'promotion.reject',
        'promotion.cancel',
        'release.live',
        'release.rollback',
        'environment.update',
      ]),
    );
    const verified = await api.verifyAudit(manager.token);
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ valid: true, entries: await db().auditEntry.count() });
  });
});
