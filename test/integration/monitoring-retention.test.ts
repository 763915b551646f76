import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getRetentionRoute, PUT as putRetentionRoute } from '@/app/api/v1/models/[name]/retention/route';
import { db } from '@/lib/db';
import { maintainMonitoring } from '@/lib/server/monitoring/apply-retention';
import { listDayPartitions } from '@/lib/server/monitoring/partitions';
import { closeMonitoringPool, monitoringPool } from '@/lib/server/monitoring/pool';
import { call, createTestUser } from '../helpers';
import { monitoringApi as m } from '../monitoring-api';
import { api } from '../registry-api';

const DAY = 86_400_000;
const FEATURES = [{ name: 'age', type: 'numeric' as const }];

let engineer: Awaited<ReturnType<typeof createTestUser>>;
let admin: Awaited<ReturnType<typeof createTestUser>>;
let manager: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  [engineer, admin, manager, viewer] = await Promise.all([
    createTestUser(['engineer']),
    createTestUser(['admin']),
    createTestUser(['manager']),
    createTestUser(['viewer']),
  ]);
});
afterAll(() => closeMonitoringPool());

async function newModel() {
  const name = `ret-${randomBytes(3).toString('hex')}`;
  expect((await api.createModel(engineer.token, { name, task: 'regression' })).status).toBe(201);
  expect((await api.registerVersion(engineer.token, name, { features: FEATURES })).status).toBe(201);
  return db().model.findUniqueOrThrow({ where: { name } });
}

const path = (name: string) => `/api/v1/models/${name}/retention`;
const getRetention = (token: string | undefined, name: string) => call(getRetentionRoute, { path: path(name), method: 'GET', token, params: { name } });
const putRetention = (token: string | undefined, name: string, json: unknown) =>
  call(putRetentionRoute, { path: path(name), method: 'PUT', token, json, params: { name } });

/** Records one a day for the last `days` days (today included), through the ingestion API. */
async function sendDaily(name: string, days: number) {
  const records = Array.from({ length: days }, (_, i) => ({
    id: `d-${i}`,
    timestamp: new Date(Date.now() - i * DAY).toISOString(),
    features: { age: 30 + i },
    prediction: i,
  }));
  const sent = await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, records);
  expect(sent.status, sent.text).toBe(202);
}

async function storedDays(modelId: string): Promise<number> {
  const { rows } = await monitoringPool().query<{ n: string }>('SELECT count(*) AS n FROM monitoring_predictions WHERE model_id = $1', [modelId]);
  return Number(rows[0]!.n);
}

describe('per-model monitoring retention', () => {
  it('is 90 days unless set, readable by every role', async () => {
    const model = await newModel();
    const read = await getRetention(viewer.token, model.name);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ model: model.name, days: 90 });
    expect(Date.now() - Date.parse(read.body.keepsFrom)).toBeGreaterThan(90 * DAY);
    expect(Date.now() - Date.parse(read.body.keepsFrom)).toBeLessThan(91 * DAY);
    expect((await getRetention(undefined, model.name)).status).toBe(401);
    const missing = await getRetention(viewer.token, 'no-such-model');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('is set by engineers and admins only, within 1–365 whole days, with clear problems otherwise', async () => {
    const model = await newModel();
    for (const user of [viewer, manager]) expect((await putRetention(user.token, model.name, { days: 30 })).status).toBe(403);
    for (const [body, pattern] of [
      [{ days: 0 }, /at least 1/],
      [{ days: 366 }, /at most 365/],
      [{ days: 7.5 }, /whole number/],
      [{ days: '30' }, /whole number/],
      [{}, /days/],
      [{ days: 30, extra: true }, /extra/],
    ] as const) {
      const refused = await putRetention(engineer.token, model.name, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(refused.body), JSON.stringify(body)).toMatch(pattern);
    }
    expect((await db().model.findUniqueOrThrow({ where: { id: model.id } })).monitoringRetentionDays).toBe(90);
    expect((await putRetention(engineer.token, 'no-such-model', { days: 30 })).status).toBe(404);

    const set = await putRetention(admin.token, model.name, { days: 120 });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ model: model.name, days: 120 });
    expect((await getRetention(viewer.token, model.name)).body.days).toBe(120);
    const audit = await db().auditEntry.findFirstOrThrow({ where: { action: 'model.retention', targetId: model.name }, orderBy: { seq: 'desc' } });
    expect(audit).toMatchObject({ before: { monitoringRetentionDays: 90 }, after: { monitoringRetentionDays: 120 } });
    // Setting the same value again changes and audits nothing.
    expect((await putRetention(engineer.token, model.name, { days: 120 })).status).toBe(200);
    expect(await db().auditEntry.count({ where: { action: 'model.retention', targetId: model.name } })).toBe(1);
  });

  it('drops only that model’s whole day tables past its own retention; other models keep theirs', async () => {
    const short = await newModel();
    const long = await newModel();
    await sendDaily(short.name, 12);
    await sendDaily(long.name, 12);
    expect((await putRetention(engineer.token, short.name, { days: 5 })).status).toBe(200);
    // A record older than the new retention is refused at ingestion, naming it.
    const tooOld = await m.predictions(engineer.token, { model: short.name, environment: 'production', version: 1 }, [
      { id: 'old', timestamp: new Date(Date.now() - 8 * DAY).toISOString(), features: { age: 1 }, prediction: 1 },
    ]);
    expect(tooOld.status).toBe(400);
    expect(tooOld.text).toMatch(/retention of 5 days/);

    await maintainMonitoring();
    // Days 0–5 ago remain (the cutoff is the start of the UTC day 5 days ago): 6 records.
    expect(await storedDays(short.id)).toBe(6);
    const cutoff = Math.floor((Date.now() - 5 * DAY) / DAY) * DAY;
    expect((await listDayPartitions(short.id)).every((p) => p.day >= cutoff)).toBe(true);
    const { rows } = await monitoringPool().query<{ n: string }>('SELECT count(*) AS n FROM monitoring_record_ids WHERE model_id = $1', [short.id]);
    expect(Number(rows[0]!.n)).toBe(6);
    // The other model shares no table with it and keeps its 90 days.
    expect(await storedDays(long.id)).toBe(12);
    expect((await listDayPartitions(long.id)).length).toBeGreaterThanOrEqual(12);

    // A longer retention afterwards keeps what is left; nothing comes back, nothing more goes.
    expect((await putRetention(engineer.token, short.name, { days: 60 })).status).toBe(200);
    await maintainMonitoring();
    expect(await storedDays(short.id)).toBe(6);
  });

  it('is changed safely by concurrent requests: the last write wins and every change is audited in order', async () => {
    const model = await newModel();
    const results = await Promise.all([10, 20, 30, 40].map((days) => putRetention(engineer.token, model.name, { days })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const final = (await db().model.findUniqueOrThrow({ where: { id: model.id } })).monitoringRetentionDays;
    const entries = await db().auditEntry.findMany({ where: { action: 'model.retention', targetId: model.name }, orderBy: { seq: 'asc' } });
    expect(entries).toHaveLength(4);
    // Each entry's "before" is the previous entry's "after": no lost update.
    expect((entries[0]!.before as { monitoringRetentionDays: number }).monitoringRetentionDays).toBe(90);
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i]!.before).toEqual(entries[i - 1]!.after);
    }
    expect((entries.at(-1)!.after as { monitoringRetentionDays: number }).monitoringRetentionDays).toBe(final);
  });
});
