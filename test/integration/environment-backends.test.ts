import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as checkRoute } from '@/app/api/v1/environments/[environment]/backend/check/route';
import { DELETE as deleteRoute, GET as getRoute, PUT as putRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { db } from '@/lib/db';
import { call, createTestUser, rawQuery } from '../helpers';
import { api } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;

const TOKEN = 'model-server-token-do-not-leak-1234';

const backendApi = {
  get: (token: string, environment: string) => call(getRoute, { path: `/api/v1/environments/${environment}/backend`, token, params: { environment } }),
  put: (token: string, environment: string, json: unknown) =>
    call(putRoute, { path: `/api/v1/environments/${environment}/backend`, method: 'PUT', token, json, params: { environment } }),
  remove: (token: string, environment: string) =>
    call(deleteRoute, { path: `/api/v1/environments/${environment}/backend`, method: 'DELETE', token, params: { environment } }),
  check: (token: string, environment: string) =>
    call(checkRoute, { path: `/api/v1/environments/${environment}/backend/check`, method: 'POST', token, params: { environment } }),
};

beforeAll(async () => {
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  [admin, engineer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer'])]);
});

describe('environment deployment backends', () => {
  it('stores the token sealed, never returns it and never writes it to the audit log', async () => {
    const put = await backendApi.put(admin.token, 'staging', { type: 'local', config: { url: 'http://127.0.0.1:1/' }, secret: TOKEN });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ environment: 'staging', type: 'local', hasSecret: true, config: { url: 'http://127.0.0.1:1' } });
    expect(put.text).not.toContain(TOKEN);

    const got = await backendApi.get(admin.token, 'staging');
    expect(got.status).toBe(200);
    expect(got.text).not.toContain(TOKEN);

    const stored = await rawQuery(`SELECT "secretSealed" FROM environment_backends`);
    expect(stored.rows[0].secretSealed).toMatch(/^v1\./);
    expect(stored.rows[0].secretSealed).not.toContain(TOKEN);
    const audit = await rawQuery(`SELECT before::text, after::text FROM audit_entries WHERE action = 'environment.backend.configure'`);
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows)).not.toContain(TOKEN);
    expect(audit.rows[0].after).toContain('"secretChange": "replaced"');

    // Leaving the secret out keeps it; thresholds change alone.
    const again = await backendApi.put(admin.token, 'staging', { type: 'local', config: { url: 'http://127.0.0.1:1' }, canary: { maxLatencyRatio: 2 } });
    expect(again.body).toMatchObject({ hasSecret: true, canary: { maxLatencyRatio: 2, intervalSeconds: 60 } });
  });

  it('names invalid settings with 422 and refuses non-admins', async () => {
    const badUrl = await backendApi.put(admin.token, 'staging', { type: 'local', config: { url: 'ftp://x' } });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.errors['config.url'][0]).toMatch(/http\(s\)/);
    const badType = await backendApi.put(admin.token, 'staging', { type: 'nope', config: {} });
    expect(badType.status).toBe(422);
    expect(badType.body.errors.type[0]).toMatch(/local/);
    expect((await backendApi.put(engineer.token, 'staging', { type: 'local', config: { url: 'http://x' } })).status).toBe(403);
    expect((await backendApi.get(engineer.token, 'staging')).status).toBe(403);
    expect((await backendApi.put(admin.token, 'nowhere', { type: 'local', config: { url: 'http://x' } })).status).toBe(404);
  });

  it('reports an unreachable backend in the check instead of failing', async () => {
    const check = await backendApi.check(admin.token, 'staging');
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    expect(check.body.detail).toMatch(/127\.0\.0\.1:1/);
  });

  it('refuses to open a secret sealed for another environment', async () => {
    const production = await db().environment.findUniqueOrThrow({ where: { name: 'production' } });
    await backendApi.put(admin.token, 'production', { type: 'local', config: { url: 'http://127.0.0.1:1' } });
    await rawQuery(
      `UPDATE environment_backends SET "secretSealed" = (SELECT "secretSealed" FROM environment_backends e JOIN environments n ON n.id = e."environmentId" WHERE n.name = 'staging') WHERE "environmentId" = '${production.id}'`,
    );
    const check = await backendApi.check(admin.token, 'production');
    expect(check.status).toBe(500);
    expect(check.text).not.toContain(TOKEN);
  });

  it('removing the backend returns the environment to alias mode', async () => {
    const removed = await backendApi.remove(admin.token, 'staging');
    expect(removed.body).toEqual({ removed: true });
    const got = await backendApi.get(admin.token, 'staging');
    expect(got.status).toBe(404);
    expect(got.body.detail).toMatch(/registry alias/);
  });

  it('takes canary and shadow requests on an environment with a backend, with the interval defaulting to its setting', async () => {
    const put = await backendApi.put(admin.token, 'development', {
      type: 'local',
      config: { url: 'http://127.0.0.1:1' },
      secret: TOKEN,
      canary: { intervalSeconds: 45 },
    });
    expect(put.status, put.text).toBe(200);
    // One model per request: while a canary or shadow runs in a lane, other requests there wait (409).
    const unique = (s: string) => `strategy-${s}-${randomBytes(3).toString('hex')}`;
    const [name, other, third] = [unique('a'), unique('b'), unique('c')];
    for (const model of [name, other, third]) {
      expect((await api.createModel(engineer.token, { name: model })).status).toBe(201);
      for (let i = 0; i < 3; i++) expect((await api.registerVersion(engineer.token, model)).status).toBe(201);
    }

    const canary = await api.requestPromotion(engineer.token, name, 1, { environment: 'development', strategy: { type: 'canary', steps: [10, 100] } });
    expect(canary.status, canary.text).toBe(201);
    expect(canary.body.strategy).toEqual({ type: 'canary', steps: [10, 100], intervalSeconds: 45 });
    const shadow = await api.requestPromotion(engineer.token, other, 2, { environment: 'development', strategy: { type: 'shadow', percent: 30 } });
    expect(shadow.status, shadow.text).toBe(201);
    expect(shadow.body.strategy).toEqual({ type: 'shadow', percent: 30 });
    const own = await api.requestPromotion(engineer.token, third, 3, { environment: 'development', strategy: { type: 'canary', intervalSeconds: 2 } });
    expect(own.body.strategy).toEqual({ type: 'canary', steps: [10, 50, 100], intervalSeconds: 2 });

    for (const [strategy, field, message] of [
      [{ type: 'replace', intervalSeconds: 5 }, 'strategy.intervalSeconds', /Only canary releases have an interval/],
      [{ type: 'canary', percent: 5 }, 'strategy.percent', /Only shadow releases mirror/],
      [{ type: 'shadow', percent: 0 }, 'strategy.percent', /./],
      [{ type: 'canary', intervalSeconds: 0 }, 'strategy.intervalSeconds', /./],
    ] as const) {
      const refused = await api.requestPromotion(engineer.token, name, 3, { environment: 'staging', strategy });
      expect(refused.status, refused.text).toBe(422);
      expect(refused.body.errors[field][0]).toMatch(message);
    }
  });
});
