import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { createTestUser, rawQuery } from '../helpers';
import { api, promote, waitUntilLive } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let engineer: User;
let reviewer: User;

beforeAll(async () => {
  [engineer, reviewer] = await Promise.all([createTestUser(['engineer']), createTestUser(['reviewer'])]);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
});

async function toStaging(name: string, version: number) {
  await promote(engineer.token, reviewer.token, name, version, 'development');
  await promote(engineer.token, reviewer.token, name, version, 'staging');
}

describe('release evidence', () => {
  it('keeps what a release was requested and approved on after a later version replaces it', async () => {
    const name = `evidence-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name })).status).toBe(201);
    const versions = [
      { metrics: { accuracy: 0.8, f1: 0.7 }, params: { max_depth: 4, learning_rate: 0.1 } },
      { metrics: { accuracy: 0.85, f1: 0.72 }, params: { max_depth: 6, learning_rate: 0.1 } },
      { metrics: { accuracy: 0.86, f1: 0.71 }, params: { max_depth: 8, learning_rate: 0.05 } },
    ];
    for (const body of versions) expect((await api.registerVersion(engineer.token, name, body)).status).toBe(201);

    await toStaging(name, 1);
    const first = await promote(engineer.token, reviewer.token, name, 1, 'production');
    await toStaging(name, 2);
    const requested = await api.requestPromotion(engineer.token, name, 2, { environment: 'production' });
    expect(requested.status, requested.text).toBe(201);
    const second = requested.body.id as string;
    expect((await api.approve(reviewer.token, second, { comment: 'better f1' })).status).toBe(200);
    await waitUntilLive(engineer.token, name, 'production', 2);

    // v3 replaces v2: v2's release must still show v1 as its baseline, not today's v3.
    await toStaging(name, 3);
    await promote(engineer.token, reviewer.token, name, 3, 'production');

    const release = await api.getPromotion(reviewer.token, second);
    expect(release.status).toBe(200);
    expect(release.body.status).toBe('superseded');
    const evidence = release.body.evidence as { kind: string; takenBy: string; takenAt: string; baselineVersion: number | null; metrics: unknown[]; params: unknown[]; gates: { gate: string; status: string }[] }[];
    expect(evidence.map((e) => [e.kind, e.takenBy, e.baselineVersion])).toEqual([
      ['request', engineer.user.email, 1],
      ['approval', reviewer.user.email, 1],
    ]);
    expect(Date.parse(evidence[0]!.takenAt)).toBe(Date.parse(release.body.requestedAt));
    expect(Date.parse(evidence[1]!.takenAt)).toBe(Date.parse(release.body.approvedAt));
    for (const entry of evidence) {
      expect(entry.metrics).toEqual([
        { name: 'accuracy', base: 0.8, other: 0.85, delta: expect.closeTo(0.05, 10) },
        { name: 'f1', base: 0.7, other: 0.72, delta: expect.closeTo(0.02, 10) },
      ]);
      expect(entry.params).toEqual([
        { name: 'learning_rate', base: 0.1, other: 0.1, change: 'same' },
        { name: 'max_depth', base: 4, other: 6, change: 'changed' },
      ]);
      expect(entry.gates).toContainEqual(expect.objectContaining({ gate: 'previous_environment', status: 'passed' }));
    }

    // The first production release had nothing to replace, and says so.
    const initial = await api.getPromotion(reviewer.token, first);
    expect(initial.body.evidence.map((e: { kind: string; baselineVersion: number | null }) => [e.kind, e.baselineVersion])).toEqual([
      ['request', null],
      ['approval', null],
    ]);
  });

  it('records evidence once per request in environments that need no approval, and none for releases from before', async () => {
    const name = `evidence-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name })).status).toBe(201);
    expect((await api.registerVersion(engineer.token, name, { metrics: { mae: 3 } })).status).toBe(201);
    const id = await promote(engineer.token, reviewer.token, name, 1, 'development');
    const development = await api.getPromotion(engineer.token, id);
    expect(development.body.evidence).toHaveLength(1);
    expect(development.body.evidence[0]).toMatchObject({ kind: 'request', baselineVersion: null, metrics: [{ name: 'mae', base: null, other: 3, delta: null }] });

    // A release written before evidence existed: the API says so (empty) rather than computing it now.
    const version = await db().modelVersion.findFirstOrThrow({ where: { model: { name } } });
    const staging = await db().environment.findUniqueOrThrow({ where: { name: 'staging' } });
    const old = await db().release.create({
      data: { modelId: version.modelId, versionId: version.id, environmentId: staging.id, status: 'cancelled', requestedById: engineer.user.id },
    });
    const legacy = await api.getPromotion(engineer.token, old.id);
    expect(legacy.status).toBe(200);
    expect(legacy.body.evidence).toEqual([]);
  });

  it('cannot be rewritten, even with database access', async () => {
    const [row] = (await rawQuery('SELECT id FROM release_evidence LIMIT 1')).rows as { id: string }[];
    expect(row).toBeDefined();
    await expect(rawQuery(`UPDATE release_evidence SET "baselineVersion" = 99 WHERE id = '${row!.id}'`)).rejects.toThrow(/append-only/);
    await expect(rawQuery(`DELETE FROM release_evidence WHERE id = '${row!.id}'`)).rejects.toThrow(/append-only/);
  });
});
