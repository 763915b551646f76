import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as me } from '@/app/api/v1/me/route';
import { db } from '@/lib/db';
import { countPendingReviews, getHomeSummary } from '@/lib/server/home/get-home-summary';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { getModel } from '@/lib/server/registry/get-model';
import { call, createTestUser } from '../helpers';
import { api, promote } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let engineer: User;
let lead: User; // engineer + reviewer
let reviewer: User;
let viewer: User;

beforeAll(async () => {
  [engineer, lead, reviewer, viewer] = await Promise.all([
    createTestUser(['engineer']),
    createTestUser(['engineer', 'reviewer']),
    createTestUser(['reviewer']),
    createTestUser(['viewer']),
  ]);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
});

async function stagedModel(token: string, versions = 1) {
  const name = `home-${randomBytes(3).toString('hex')}`;
  expect((await api.createModel(token, { name })).status).toBe(201);
  for (let v = 1; v <= versions; v++) {
    expect((await api.registerVersion(token, name, { metrics: { accuracy: 0.8 + v / 100 } })).status).toBe(201);
    await promote(token, reviewer.token, name, v, 'development');
    await promote(token, reviewer.token, name, v, 'staging');
  }
  return name;
}

async function requestProduction(token: string, name: string, version = 1) {
  const response = await api.requestPromotion(token, name, version, { environment: 'production' });
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
}

describe('home summary', () => {
  it('GET /api/v1/me gives the count the navigation badge polls, and it falls after a review', async () => {
    const pending = async (token: string) => (await call(me, { path: '/api/v1/me', token })).body.pendingReviews as number;
    const requested = await requestProduction(engineer.token, await stagedModel(engineer.token));
    const before = await pending(reviewer.token);
    expect(before).toBeGreaterThan(0);
    expect(before).toBe(await countPendingReviews(reviewer.actor));
    expect(await pending(viewer.token)).toBe(0);
    expect((await api.approve(reviewer.token, requested)).status).toBe(200);
    expect(await pending(reviewer.token)).toBe(before - 1);
  });

  it('lists for a reviewer only the releases they can approve, and counts them the same way', async () => {
    const fromEngineer = await requestProduction(engineer.token, await stagedModel(engineer.token));
    const fromLead = await requestProduction(lead.token, await stagedModel(lead.token));

    const forLead = await getHomeSummary(lead.actor);
    const leadIds = forLead.awaitingReview!.map((r) => r.id);
    expect(leadIds).toContain(fromEngineer);
    expect(leadIds).not.toContain(fromLead); // their own request
    expect(forLead.myOpenRequests!.map((r) => r.id)).toEqual([fromLead]);
    expect(forLead.awaitingReviewTotal).toBe(await countPendingReviews(lead.actor));

    // Once reviewed by this reviewer it no longer waits for them.
    const forReviewer = await getHomeSummary(reviewer.actor);
    expect(forReviewer.awaitingReview!.map((r) => r.id)).toEqual(expect.arrayContaining([fromEngineer, fromLead]));
    expect(forReviewer.myOpenRequests).toBeNull();
    const before = await countPendingReviews(reviewer.actor);
    expect((await api.approve(reviewer.token, fromEngineer)).status).toBe(200);
    expect(await countPendingReviews(reviewer.actor)).toBe(before - 1);
    expect((await getHomeSummary(reviewer.actor)).awaitingReview!.map((r) => r.id)).not.toContain(fromEngineer);

    // Where the environment forbids authors to approve, the author's own version is not listed.
    await db().environment.update({ where: { name: 'production' }, data: { authorCannotApprove: true } });
    try {
      const authored = await stagedModel(lead.token);
      const requested = await requestProduction(engineer.token, authored);
      expect((await getHomeSummary(lead.actor)).awaitingReview!.map((r) => r.id)).not.toContain(requested);
      expect((await getHomeSummary(reviewer.actor)).awaitingReview!.map((r) => r.id)).toContain(requested);
    } finally {
      await db().environment.update({ where: { name: 'production' }, data: { authorCannotApprove: false } });
    }
  });

  it('gives a viewer only what went live, newest first', async () => {
    const name = await stagedModel(engineer.token);
    const summary = await getHomeSummary(viewer.actor);
    expect(summary.awaitingReview).toBeNull();
    expect(summary.myOpenRequests).toBeNull();
    expect(summary.myRecentReleases).toBeNull();
    expect(summary.wentLive![0]).toMatchObject({ model: name, version: 1, environment: 'staging', requestedBy: engineer.user.email });
    expect(await countPendingReviews(viewer.actor)).toBe(0);
  });
});

describe('model lanes', () => {
  it('name what a rollback would restore, and where each version is requested', async () => {
    const name = await stagedModel(engineer.token, 2);
    await requestProduction(engineer.token, name, 2);
    const model = await getModel(name);
    const lane = (env: string) => model.environments.find((l) => l.environment === env)!;
    expect([lane('development').liveVersion, lane('development').rollbackTo]).toEqual([2, 1]);
    expect([lane('production').liveVersion, lane('production').rollbackTo]).toEqual([null, null]);
    const version = (v: number) => model.versions.find((x) => x.version === v)!;
    expect(version(2)).toMatchObject({ live: ['development', 'staging'], requested: ['production'] });
    expect(version(1)).toMatchObject({ live: [], requested: [] });

    // Once the version before is archived there is nothing to roll back to.
    expect((await api.archive(engineer.token, name, 1)).status).toBe(200);
    expect((await getModel(name)).environments.find((l) => l.environment === 'development')!.rollbackTo).toBeNull();
  });
});
