import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { deployRelease } from '@/lib/server/promotions/deploy-release';
import { requestPromotion } from '@/lib/server/promotions/request-promotion';
import { createModel } from '@/lib/server/registry/create-model';
import { registerVersion } from '@/lib/server/registry/register-version';
import { createTestUser, rawQuery } from '../helpers';
import { api } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
let viewer: User;

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Names in promotion order, as the API lists them (and checks the positions are 1..n). */
async function order(): Promise<string[]> {
  const response = await api.listEnvironments(admin.token);
  expect(response.status).toBe(200);
  const items = response.body.items as { name: string; position: number }[];
  expect(items.map((e) => e.position)).toEqual(items.map((_, i) => i + 1));
  return items.map((e) => e.name);
}

/** Positions straight from the table: dense 1..n, no duplicates. */
async function expectDensePositions() {
  const { rows } = await rawQuery('SELECT position FROM environments ORDER BY position');
  expect(rows.map((r: { position: number }) => r.position)).toEqual(rows.map((_: unknown, i: number) => i + 1));
}

/** Requests the promotion and runs the deploy job's work in-line (no worker in this file). */
async function makeLive(name: string, version: number, environment: string) {
  const { release } = await requestPromotion(engineer.ctx, { model: name, version, input: { environment } });
  await deployRelease(release.id);
}

beforeAll(async () => {
  [admin, engineer, viewer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer']), createTestUser(['viewer'])]);
});

afterAll(async () => {
  await stopBoss();
});

// First in the file: it needs staging and production next to each other before qa goes in.
describe('the previous-environment gate follows the order', () => {
  it('after inserting qa between staging and production, production needs the version to have been live in qa', async () => {
    expect(await order()).toEqual(['development', 'staging', 'production']);
    const model = unique('gates');
    await createModel(engineer.ctx, { name: model });
    await registerVersion(engineer.ctx, model, {});
    await makeLive(model, 1, 'development');
    await makeLive(model, 1, 'staging');

    const created = await api.createEnvironment(admin.token, { name: 'qa', description: 'Manual QA.', after: 'staging' });
    expect(created.status, created.text).toBe(201);
    expect(await order()).toEqual(['development', 'staging', 'qa', 'production']);
    expect((await api.updateEnvironment(admin.token, 'production', { requirePreviousEnvironment: true })).status).toBe(200);

    const refused = await api.requestPromotion(engineer.token, model, 1, { environment: 'production' });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.code).toBe('gate_failed');
    expect(refused.body.errors.previous_environment[0]).toMatch(/never been live in qa/);

    // Through qa (no approvals, gates off by default), production accepts the request.
    await makeLive(model, 1, 'qa');
    const accepted = await api.requestPromotion(engineer.token, model, 1, { environment: 'production' });
    expect(accepted.status, accepted.text).toBe(201);
  });
});

describe('POST /api/v1/environments', () => {
  it('adds an environment (201) with permissive default rules, last by default', async () => {
    const name = unique('perf');
    const before = await order();
    const response = await api.createEnvironment(admin.token, { name, description: 'Load tests.' });
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({
      name,
      position: before.length + 1,
      description: 'Load tests.',
      requiredApprovals: 0,
      requirePreviousEnvironment: false,
      soakGateEnabled: false,
      minSoakMinutes: 0,
      metricGates: [],
      blockOnOpenDriftAlert: false,
      authorCannotApprove: false,
    });
    expect(await order()).toEqual([...before, name]);
    await expectDensePositions();
  });

  it('places it after a given environment, or first (after: null), shifting later ones down', async () => {
    const middle = unique('mid');
    const before = await order();
    const response = await api.createEnvironment(admin.token, { name: middle, after: 'development', requiredApprovals: 2, soakGateEnabled: true, minSoakMinutes: 5 });
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({ position: 2, requiredApprovals: 2, soakGateEnabled: true, minSoakMinutes: 5 });
    expect(await order()).toEqual(['development', middle, ...before.slice(1)]);

    const first = unique('first');
    expect((await api.createEnvironment(admin.token, { name: first, after: null })).status).toBe(201);
    expect(await order()).toEqual([first, 'development', middle, ...before.slice(1)]);
    await expectDensePositions();
  });

  it('refuses a taken name (409 environment_exists), a bad slug or unknown `after` (422), and non-admins (403)', async () => {
    const before = await order();
    const duplicate = await api.createEnvironment(admin.token, { name: 'staging' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('environment_exists');

    const badSlug = await api.createEnvironment(admin.token, { name: 'Not A Slug' });
    expect(badSlug.status).toBe(422);
    expect(Object.keys(badSlug.body.errors)).toContain('name');

    const unknownAfter = await api.createEnvironment(admin.token, { name: unique('x'), after: 'nowhere' });
    expect(unknownAfter.status).toBe(422);
    expect(Object.keys(unknownAfter.body.errors)).toEqual(['after']);

    const extra = await api.createEnvironment(admin.token, { name: unique('x'), position: 1 });
    expect(extra.status).toBe(422);
    expect(extra.body.errors).toEqual({ position: ['Unknown field.'] });

    for (const user of [viewer, engineer]) expect((await api.createEnvironment(user.token, { name: unique('nope') })).status).toBe(403);
    expect((await api.createEnvironment(undefined, { name: unique('nope') })).status).toBe(401);
    expect(await order()).toEqual(before);
  });

  it('keeps positions dense and distinct when 10 admins add environments at once', async () => {
    const before = await order();
    const names = Array.from({ length: 10 }, (_, i) => unique(`burst${i}`));
    const responses = await Promise.all(
      names.map((name, i) => api.createEnvironment(admin.token, i % 2 === 0 ? { name } : { name, after: 'staging' })),
    );
    expect(responses.map((r) => r.status)).toEqual(names.map(() => 201));
    const after = await order();
    expect(after).toHaveLength(before.length + 10);
    expect(new Set(after).size).toBe(after.length);
    expect([...after].sort()).toEqual([...before, ...names].sort());
    await expectDensePositions();
    expect(await db().auditEntry.count({ where: { action: 'environment.create', targetId: { in: names } } })).toBe(10);
    // The ones placed last are the last five, in some order; the others sit right after staging.
    expect(new Set(after.slice(-5))).toEqual(new Set(names.filter((_, i) => i % 2 === 0)));
    const staging = after.indexOf('staging');
    expect(new Set(after.slice(staging + 1, staging + 6))).toEqual(new Set(names.filter((_, i) => i % 2 === 1)));
  });

  it('audits environment.create with the new order', async () => {
    const name = unique('audited');
    const before = await order();
    expect((await api.createEnvironment(admin.token, { name, after: 'production' })).status).toBe(201);
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'environment.create', targetId: name } });
    expect(entry.actorEmail).toBe(admin.user.email);
    expect(entry.before).toEqual({ order: before });
    const index = before.indexOf('production') + 1;
    expect(entry.after).toMatchObject({ name, position: index + 1, order: [...before.slice(0, index), name, ...before.slice(index)] });
    expect((await api.verifyAudit(admin.token)).body).toMatchObject({ valid: true });
  });
});

describe('POST /api/v1/environments/{environment}/move', () => {
  it('swaps an environment with its neighbour and returns the whole order', async () => {
    const [a, b] = [unique('move-a'), unique('move-b')];
    expect((await api.createEnvironment(admin.token, { name: a })).status).toBe(201);
    expect((await api.createEnvironment(admin.token, { name: b })).status).toBe(201);
    const before = await order();
    expect(before.slice(-2)).toEqual([a, b]);

    const up = await api.moveEnvironment(admin.token, b, { direction: 'up' });
    expect(up.status, up.text).toBe(200);
    const moved = [...before.slice(0, -2), b, a];
    expect(up.body.items.map((e: { name: string }) => e.name)).toEqual(moved);
    expect(up.body.items.map((e: { position: number }) => e.position)).toEqual(moved.map((_, i) => i + 1));
    expect(await order()).toEqual(moved);

    const down = await api.moveEnvironment(admin.token, b, { direction: 'down' });
    expect(down.status).toBe(200);
    expect(await order()).toEqual(before);
    await expectDensePositions();

    const entries = await db().auditEntry.findMany({ where: { action: 'environment.move', targetId: b }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => [e.before, e.after])).toEqual([
      [{ position: before.length, order: before }, { position: before.length - 1, order: moved }],
      [{ position: before.length - 1, order: moved }, { position: before.length, order: before }],
    ]);
  });

  it('refuses moving past the ends (409 cannot_move), unknown environments (404), bad bodies (422) and non-admins (403)', async () => {
    const before = await order();
    const first = await api.moveEnvironment(admin.token, before[0]!, { direction: 'up' });
    expect(first.status).toBe(409);
    expect(first.body.code).toBe('cannot_move');
    const last = await api.moveEnvironment(admin.token, before.at(-1)!, { direction: 'down' });
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('cannot_move');
    expect((await api.moveEnvironment(admin.token, 'no-such-env', { direction: 'up' })).status).toBe(404);
    const sideways = await api.moveEnvironment(admin.token, 'staging', { direction: 'sideways' });
    expect(sideways.status).toBe(422);
    expect(Object.keys(sideways.body.errors)).toEqual(['direction']);
    for (const user of [viewer, engineer]) expect((await api.moveEnvironment(user.token, 'staging', { direction: 'up' })).status).toBe(403);
    expect(await order()).toEqual(before);
  });
});
