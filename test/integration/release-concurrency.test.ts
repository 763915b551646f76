import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import type { ReleaseStatus } from '@/lib/generated/prisma/client';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { canTransition, OPEN_STATUSES } from '@/lib/server/promotions/release-machine';
import { createTestUser, rawQuery, waitFor } from '../helpers';
import { api, promote } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let requester: User;
let reviewers: User[];
let auditor: User;

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  // Test-only instrumentation: every status a release takes, in order, so each release's
  // whole history can be checked against the state machine (not only its final status).
  await rawQuery(`
    CREATE TABLE test_release_status_log (
      id bigserial PRIMARY KEY, release_id uuid NOT NULL, old_status text, new_status text NOT NULL, is_rollback boolean NOT NULL
    );
    CREATE FUNCTION test_log_release_status() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO test_release_status_log (release_id, old_status, new_status, is_rollback)
        VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status::text END, NEW.status::text, NEW."isRollback");
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER test_release_status AFTER INSERT OR UPDATE ON releases FOR EACH ROW EXECUTE FUNCTION test_log_release_status();
  `);
  requester = await createTestUser(['engineer']);
  auditor = await createTestUser(['manager']);
  // Reviewers who may also operate deployments, so any of them can approve or roll back.
  reviewers = await Promise.all(Array.from({ length: 20 }, () => createTestUser(['reviewer', 'engineer'])));
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
});

/** A model with v1 then v2 live in production (v2 replaced v1), through the real flow. */
async function modelLiveInProduction(prefix: string, versions: number) {
  const name = unique(prefix);
  expect((await api.createModel(requester.token, { name })).status).toBe(201);
  for (let v = 1; v <= versions; v++) expect((await api.registerVersion(requester.token, name, { metrics: { accuracy: 0.9 } })).status).toBe(201);
  return name;
}

async function toStaging(name: string, version: number) {
  await promote(requester.token, reviewers[0]!.token, name, version, 'development');
  await promote(requester.token, reviewers[0]!.token, name, version, 'staging');
}

async function pendingProductionRequest(name: string, version: number): Promise<string> {
  const requested = await api.requestPromotion(requester.token, name, version, { environment: 'production' });
  expect(requested.status, requested.text).toBe(201);
  expect(requested.body.status).toBe('pending_approval');
  return requested.body.id;
}

/** Every release of the model went through allowed transitions only, ending in its current status. */
async function expectHistoriesFollowTheStateMachine(name: string) {
  const releases = await db().release.findMany({ where: { model: { name } } });
  expect(releases.length).toBeGreaterThan(0);
  const { rows } = await rawQuery(`
    SELECT l.release_id, l.old_status, l.new_status, l.is_rollback FROM test_release_status_log l
    JOIN releases r ON r.id = l.release_id JOIN models m ON m.id = r."modelId"
    WHERE m.name = '${name}' ORDER BY l.id`);
  for (const release of releases) {
    const history = rows.filter((row) => row.release_id === release.id);
    expect(history.length, release.id).toBeGreaterThan(0);
    const [created, ...changes] = history;
    expect(created.old_status).toBeNull();
    // Requests start pending or (no approval needed) approved; only a rollback starts live.
    const allowedStarts = created.is_rollback ? ['live'] : ['pending_approval', 'approved'];
    expect(allowedStarts, `${release.id} created ${created.new_status}`).toContain(created.new_status);
    let status = created.new_status as ReleaseStatus;
    for (const change of changes) {
      expect(change.old_status, release.id).toBe(status);
      expect(canTransition(status, change.new_status), `${release.id}: ${status} → ${change.new_status}`).toBe(true);
      status = change.new_status;
    }
    expect(release.status).toBe(status);
    // Fields that go with the status.
    if (release.status === 'live') expect(release).toMatchObject({ slot: 'primary', endedAt: null, liveAt: expect.any(Date) });
    if (release.status === 'superseded' || release.status === 'rolled_back') {
      expect(release.liveAt).not.toBeNull();
      expect(release.endedAt).not.toBeNull();
    }
  }
}

async function livePrimaryCount(name: string, environment: string): Promise<number> {
  const { rows } = await rawQuery(`
    SELECT count(*)::int AS n FROM releases r
    JOIN models m ON m.id = r."modelId" JOIN environments e ON e.id = r."environmentId"
    WHERE m.name = '${name}' AND e.name = '${environment}' AND r.status = 'live' AND r.slot = 'primary'`);
  return rows[0].n;
}

describe('20 concurrent approvals and rollbacks at one environment', () => {
  it('produce exactly one approval, 409s for the rest (never a 500), one live release and a valid audit chain', async () => {
    const name = await modelLiveInProduction('burst', 3);
    // v1 then v2 live in production, so a rollback has somewhere to go.
    for (const version of [1, 2]) {
      await toStaging(name, version);
      const id = await pendingProductionRequest(name, version);
      expect((await api.approve(reviewers[0]!.token, id)).status).toBe(200);
      await waitFor(async () => (await api.environmentState(requester.token, name, 'production')).body.liveVersion === version);
    }
    await toStaging(name, 3);
    const pendingId = await pendingProductionRequest(name, 3);
    const auditBefore = await db().auditEntry.count();

    // 15 approvals of the pending release interleaved with 5 rollbacks of the environment.
    const operations = reviewers.map((reviewer, i) =>
      i % 4 === 3
        ? { kind: 'rollback' as const, run: () => api.rollback(reviewer.token, name, 'production') }
        : { kind: 'approve' as const, run: () => api.approve(reviewer.token, pendingId, { comment: `approval ${i}` }) },
    );
    expect(operations.filter((o) => o.kind === 'approve')).toHaveLength(15);
    const settled = await Promise.allSettled(operations.map((operation) => operation.run()));

    const results = settled.map((outcome, i) => {
      expect(outcome.status, `operation ${i} threw`).toBe('fulfilled');
      const response = (outcome as PromiseFulfilledResult<Awaited<ReturnType<typeof api.approve>>>).value;
      expect(response.status, `operation ${i} (${operations[i]!.kind}): ${response.text}`).toBeLessThan(500);
      return { kind: operations[i]!.kind, status: response.status, code: response.body?.code as string | undefined, body: response.body };
    });

    const approvals = results.filter((r) => r.kind === 'approve');
    expect(approvals.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = approvals.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(14);
    for (const r of refused) expect([r.status, r.code]).toEqual([409, 'invalid_transition']);

    const rollbacks = results.filter((r) => r.kind === 'rollback');
    for (const r of rollbacks) {
      if (r.status === 202) expect(r.body.release.isRollback).toBe(true);
      else {
        expect(r.status).toBe(409);
        expect(['no_previous_release', 'live_release_changed', 'nothing_live']).toContain(r.code);
      }
    }
    const rolledBack = rollbacks.filter((r) => r.status === 202).length;
    // The first rollback always finds a previous version (v2 replaced v1). Each one walks a
    // step back along v3 → v2 → v1, which v1 (the first ever live) ends: at most 3.
    expect(rolledBack).toBeGreaterThanOrEqual(1);
    expect(rolledBack).toBeLessThanOrEqual(3);

    // The deploy job finishes what the approval started.
    await waitFor(async () => {
      const release = await db().release.findUniqueOrThrow({ where: { id: pendingId } });
      return !OPEN_STATUSES.includes(release.status);
    });
    const approvedRelease = await db().release.findUniqueOrThrow({ where: { id: pendingId } });
    expect(['live', 'rolled_back']).toContain(approvedRelease.status);
    expect(await db().approval.count({ where: { releaseId: pendingId } })).toBe(1);

    expect(await livePrimaryCount(name, 'production')).toBe(1);
    await expectHistoriesFollowTheStateMachine(name);

    // One entry for the approval, one per rollback, one for v3 going live.
    const verified = await api.verifyAudit(auditor.token);
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ valid: true, entries: auditBefore + 1 + rolledBack + 1 });
    const actions = await db().auditEntry.findMany({ where: { seq: { gt: BigInt(auditBefore) } }, select: { action: true } });
    expect(actions.map((a) => a.action).sort()).toEqual(['promotion.approve', 'release.live', ...Array(rolledBack).fill('release.rollback')].sort());
  });

  it('two reviewers approving the same one-approval release at once: one 200, one 409', async () => {
    const name = await modelLiveInProduction('pair', 5);
    for (let version = 1; version <= 5; version++) {
      await toStaging(name, version);
      const id = await pendingProductionRequest(name, version);
      const [a, b] = [reviewers[(version * 2) % 20]!, reviewers[(version * 2 + 1) % 20]!];
      const responses = await Promise.all([api.approve(a.token, id), api.approve(b.token, id)]);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(responses.find((r) => r.status === 409)!.body.code).toBe('invalid_transition');
      expect(await db().approval.count({ where: { releaseId: id } })).toBe(1);
      await waitFor(async () => (await api.environmentState(requester.token, name, 'production')).body.liveVersion === version);
      expect(await livePrimaryCount(name, 'production')).toBe(1);
    }
    await expectHistoriesFollowTheStateMachine(name);
    expect((await api.verifyAudit(auditor.token)).body.valid).toBe(true);
  });
});
