import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as archiveRoute } from '@/app/api/v1/environments/[environment]/archive/route';
import { DELETE as deleteRoute } from '@/app/api/v1/environments/[environment]/route';
import { POST as unarchiveRoute } from '@/app/api/v1/environments/[environment]/unarchive/route';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { deployRelease } from '@/lib/server/promotions/deploy-release';
import { requestPromotion } from '@/lib/server/promotions/request-promotion';
import { createModel } from '@/lib/server/registry/create-model';
import { getModel } from '@/lib/server/registry/get-model';
import { registerVersion } from '@/lib/server/registry/register-version';
import { call, createTestUser, rawQuery } from '../helpers';
import { api } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

const remove = (token: string, environment: string) =>
  call(deleteRoute, { path: `/api/v1/environments/${environment}`, method: 'DELETE', token, params: { environment } });
const archive = (token: string, environment: string) =>
  call(archiveRoute, { path: `/api/v1/environments/${environment}/archive`, method: 'POST', token, params: { environment } });
const unarchive = (token: string, environment: string) =>
  call(unarchiveRoute, { path: `/api/v1/environments/${environment}/unarchive`, method: 'POST', token, params: { environment } });

async function names(): Promise<string[]> {
  const { rows } = await rawQuery('SELECT name, position FROM environments ORDER BY position');
  expect(rows.map((r: { position: number }) => r.position)).toEqual(rows.map((_: unknown, i: number) => i + 1));
  return rows.map((r: { name: string }) => r.name);
}

async function addEnvironment(after?: string) {
  const name = unique('env');
  const created = await api.createEnvironment(admin.token, { name, ...(after ? { after } : {}) });
  expect(created.status, created.text).toBe(201);
  return name;
}

async function modelWithVersion() {
  const model = unique('m');
  await createModel(engineer.ctx, { name: model });
  await registerVersion(engineer.ctx, model, {});
  return model;
}

beforeAll(async () => {
  [admin, engineer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer'])]);
});

afterAll(async () => {
  await stopBoss();
});

describe('DELETE /api/v1/environments/{environment}', () => {
  it('deletes an environment nothing was released to, closes the gap in the order and audits it', async () => {
    const name = await addEnvironment('development');
    expect((await names())[1]).toBe(name);
    const response = await remove(admin.token, name);
    expect(response.status, response.text).toBe(200);
    expect(response.body.items.map((e: { name: string }) => e.name)).toEqual(await names());
    expect(await names()).not.toContain(name);
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'environment.delete', targetId: name } });
    expect(entry.actorId).toBe(admin.user.id);
    expect((entry.before as { order: string[] }).order).toContain(name);
    expect((entry.after as { order: string[] }).order).not.toContain(name);
  });

  it('refuses (409 environment_in_use) once anything was requested there, even a rejected or cancelled request', async () => {
    const name = await addEnvironment();
    await api.updateEnvironment(admin.token, name, { requiredApprovals: 1 });
    const model = await modelWithVersion();
    await requestPromotion(engineer.ctx, { model, version: 1, input: { environment: name } });
    const response = await remove(admin.token, name);
    expect(response.status, response.text).toBe(409);
    expect(response.body.code).toBe('environment_in_use');
    expect(response.body.detail).toMatch(/archive it instead/);
    expect(await names()).toContain(name);
  });

  it('is for admins only, and a missing environment is 404', async () => {
    const name = await addEnvironment();
    expect((await remove(engineer.token, name)).status).toBe(403);
    expect((await remove(admin.token, 'no-such-env')).status).toBe(404);
    expect(await names()).toContain(name);
  });

  it('keeps positions dense when several environments are deleted and added at once', async () => {
    const doomed = await Promise.all([addEnvironment(), addEnvironment(), addEnvironment()]);
    const results = await Promise.all([...doomed.map((name) => remove(admin.token, name)), api.createEnvironment(admin.token, { name: unique('new'), after: 'development' })]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 201]);
    const after = await names();
    for (const name of doomed) expect(after).not.toContain(name);
  });
});

describe('archiving an environment', () => {
  it('hides it from lanes, promotion and the previous-environment gate; history stays; unarchive brings it back', async () => {
    const qa = await addEnvironment('staging');
    const model = await modelWithVersion();
    const { release } = await requestPromotion(engineer.ctx, { model, version: 1, input: { environment: qa } });
    await deployRelease(release.id);

    const archived = await archive(admin.token, qa);
    expect(archived.status, archived.text).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expect((await getModel(model)).environments.map((lane) => lane.environment)).not.toContain(qa);
    expect((await getModel(model)).history.map((r) => r.environment)).toContain(qa);

    const refused = await api.requestPromotion(engineer.token, model, 1, { environment: qa });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.code).toBe('environment_archived');

    // production's previous environment is staging again while qa is archived.
    await api.updateEnvironment(admin.token, 'production', { requirePreviousEnvironment: true, requiredApprovals: 0 });
    const gated = await api.requestPromotion(engineer.token, model, 1, { environment: 'production' });
    expect(gated.status).toBe(422);
    expect(gated.body.errors.previous_environment[0]).toMatch(/staging/);

    expect((await remove(admin.token, qa)).status).toBe(409);
    const back = await unarchive(admin.token, qa);
    expect(back.status, back.text).toBe(200);
    expect(back.body.archivedAt).toBeNull();
    expect((await getModel(model)).environments.map((lane) => lane.environment)).toContain(qa);
    const actions = await db().auditEntry.findMany({ where: { targetId: qa, action: { in: ['environment.archive', 'environment.unarchive'] } }, orderBy: { seq: 'asc' } });
    expect(actions.map((a) => a.action)).toEqual(['environment.archive', 'environment.unarchive']);
    await api.updateEnvironment(admin.token, 'production', { requirePreviousEnvironment: false });
  });

  it('waits for open promotion requests (409 environment_busy)', async () => {
    const name = await addEnvironment();
    await api.updateEnvironment(admin.token, name, { requiredApprovals: 1 });
    const model = await modelWithVersion();
    await requestPromotion(engineer.ctx, { model, version: 1, input: { environment: name } });
    const response = await archive(admin.token, name);
    expect(response.status, response.text).toBe(409);
    expect(response.body.code).toBe('environment_busy');
  });

  it('never lets a request and an archive both succeed unaware of each other', async () => {
    for (let round = 0; round < 5; round++) {
      const name = await addEnvironment();
      await api.updateEnvironment(admin.token, name, { requiredApprovals: 1 });
      const model = await modelWithVersion();
      const [request, archived] = await Promise.all([
        api.requestPromotion(engineer.token, model, 1, { environment: name }),
        archive(admin.token, name),
      ]);
      // Either the request came first (archive refused: busy) or the archive did (request refused: archived).
      const outcome = `${request.status}/${request.body.code ?? ''} ${archived.status}/${archived.body.code ?? ''}`;
      expect(['201/ 409/environment_busy', '409/environment_archived 200/']).toContain(outcome);
    }
  });
});
