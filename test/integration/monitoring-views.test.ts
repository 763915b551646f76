import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as driftRoute } from '@/app/api/v1/models/[name]/drift/route';
import { GET as distributionRoute } from '@/app/api/v1/models/[name]/monitoring/distribution/route';
import { GET as exportRoute } from '@/app/api/v1/models/[name]/monitoring/export/route';
import { GET as releasesRoute } from '@/app/api/v1/models/[name]/monitoring/releases/route';
import { GET as overviewRoute } from '@/app/api/v1/monitoring/overview/route';
import { db } from '@/lib/db';
import { createRule } from '@/lib/server/alerts/create-rule';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { call, createTestUser } from '../helpers';
import { monitoringApi as m } from '../monitoring-api';
import { api } from '../registry-api';

let engineer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  engineer = await createTestUser(['engineer']);
  viewer = await createTestUser(['viewer']);
});

afterAll(async () => {
  await closeMonitoringPool();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const q = (ms: number) => encodeURIComponent(iso(ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const FEATURES = [
  { name: 'x', type: 'numeric' },
  { name: 'y', type: 'numeric' },
  { name: 'email', type: 'categorical', sensitive: true },
  { name: 'income', type: 'numeric', sensitive: true },
];

/** A model with one version and a reference: x, y and income uniform on 0…99, five e-mail addresses. */
async function newModel(task: 'classification' | 'regression' = 'classification') {
  const name = `view-${randomBytes(3).toString('hex')}`;
  expect((await api.createModel(engineer.token, { name, task })).status).toBe(201);
  expect((await api.registerVersion(engineer.token, name, { features: FEATURES })).status).toBe(201);
  const reference = await m.reference(engineer.token, name, 1, {
    columns: { x: range(100), y: range(100), income: range(100), email: range(100).map((i) => `user${i % 5}@example.com`) },
  });
  expect(reference.status, reference.text).toBe(201);
  return name;
}

interface Shape {
  shift?: number;
  errors?: number;
  wrong?: number;
  at?: number;
  prefix?: string;
}

/** n predictions spread over the hour before `at`: x shifted by `shift`, the first `errors` failed, labels `wrong` of them wrong. */
async function send(name: string, n: number, shape: Shape = {}) {
  const at = shape.at ?? Date.now() - 60_000;
  const prefix = shape.prefix ?? randomBytes(3).toString('hex');
  const records = range(n).map((i) => ({
    id: `${prefix}-${i}`,
    timestamp: iso(at - i * 1000),
    features: { x: (i % 100) + (shape.shift ?? 0), y: i % 100, email: `user${i % 5}@example.com`, income: i % 100 },
    prediction: { label: '1', score: 0.9 },
    latencyMs: 10 + (i % 7),
    ...(i < (shape.errors ?? 0) ? { error: 'timeout' } : {}),
  }));
  const sent = await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, records);
  expect(sent.status, sent.text).toBe(202);
  const labels = await m.labels(engineer.token, { model: name }, range(n).map((i) => ({ id: `${prefix}-${i}`, label: i < (shape.wrong ?? 0) ? '0' : '1' })));
  expect(labels.status, labels.text).toBe(202);
}

const overview = (token: string, query = '') => call(overviewRoute, { path: `/api/v1/monitoring/overview${query}`, token });

describe('GET /api/v1/monitoring/overview', () => {
  it('classifies each model in each environment as healthy, drifting, degraded or without data', async () => {
    const healthy = await newModel();
    const drifting = await newModel();
    const degraded = await newModel();
    const worseThanBefore = await newModel();
    const silent = await newModel();
    const unused = `view-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name: unused, task: 'classification' })).status).toBe(201);

    await send(healthy, 200);
    await send(drifting, 200, { shift: 1000 });
    await send(degraded, 200, { errors: 30 });
    // Accuracy 1.0 the day before, 0.8 now: down by 0.2.
    await send(worseThanBefore, 200, { at: Date.now() - 30 * HOUR });
    await send(worseThanBefore, 200, { wrong: 40 });
    // Live in production, but nothing sent.
    const silentModel = await db().model.findUniqueOrThrow({ where: { name: silent }, include: { versions: true } });
    const production = await db().environment.findUniqueOrThrow({ where: { name: 'production' } });
    await db().release.create({
      data: {
        modelId: silentModel.id,
        versionId: silentModel.versions[0]!.id,
        environmentId: production.id,
        status: 'live',
        slot: 'primary',
        requestedById: engineer.user.id,
        liveAt: new Date(Date.now() - 2 * DAY),
      },
    });
    // Two open alerts on the drifting model.
    const rule = await createRule(engineer.ctx, {
      name: 'Error rate',
      model: drifting,
      environment: 'production',
      signal: { type: 'error_rate' },
      comparator: '>',
      threshold: 0.05,
      windowMinutes: 10,
      minSamples: 100,
      severity: 'critical',
      channels: [],
      actions: [],
    });
    const driftingModel = await db().model.findUniqueOrThrow({ where: { name: drifting } });
    for (const status of ['firing', 'acknowledged', 'resolved']) {
      await db().alert.create({
        data: { ruleId: rule.id, seriesKey: status, status, severity: 'critical', modelId: driftingModel.id, environmentId: production.id, value: 0.2, threshold: 0.05, samples: 500 },
      });
    }

    const response = await overview(viewer.token);
    expect(response.status, response.text).toBe(200);
    const row = (model: string) => response.body.rows.find((r: { model: string }) => r.model === model);

    expect(row(healthy)).toMatchObject({ environment: 'production', version: 1, health: 'healthy', predictions: 200, errorRate: 0, openAlerts: 0, driftedFeatures: 0, features: 4 });
    expect(row(healthy).metric).toMatchObject({ name: 'accuracy', value: 1 });

    expect(row(drifting)).toMatchObject({ health: 'drifting', driftedFeatures: 1, openAlerts: 2 });
    expect(row(drifting).worstFeature).toMatchObject({ name: 'x', method: 'psi', drifted: true });
    expect(row(drifting).worstFeature.ratio).toBeGreaterThan(1);
    expect(row(drifting).reasons.join(' ')).toContain('x');

    expect(row(degraded)).toMatchObject({ health: 'degraded', errorRate: 30 / 200 });
    expect(row(degraded).reasons.join(' ')).toMatch(/Error rate 15\.0 %/);

    expect(row(worseThanBefore)).toMatchObject({ health: 'degraded', predictions: 200 });
    expect(row(worseThanBefore).metric).toEqual({ name: 'accuracy', value: 0.8, previous: 1 });

    expect(row(silent)).toMatchObject({ environment: 'production', version: 1, health: 'no_data', predictions: 0 });
    expect(row(unused)).toMatchObject({ environment: null, health: 'no_data', metric: null });

    // Sparklines: 24 hourly buckets; the healthy model's 200 predictions sit in the last one or two.
    const spark = row(healthy).sparklines;
    expect(spark.t).toHaveLength(spark.throughput.length);
    expect(spark.throughput.length).toBeGreaterThanOrEqual(24);
    const perMinute = spark.throughput.filter((v: number | null) => v !== null).reduce((a: number, b: number) => a + b, 0);
    expect(perMinute * 60).toBeCloseTo(200, 9);
    expect(spark.throughput[0]).toBeNull();
  });

  it('refuses an unknown window, and an anonymous caller', async () => {
    const bad = await overview(viewer.token, '?window=1y');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('window must be 24h, 7d or 30d');
    expect((await call(overviewRoute, { path: '/api/v1/monitoring/overview' })).status).toBe(401);
  });
});

const distribution = (name: string, query: string) =>
  call(distributionRoute, { path: `/api/v1/models/${name}/monitoring/distribution?${query}`, token: viewer.token, params: { name } });
const exportCsv = (name: string, query: string) =>
  call(exportRoute, { path: `/api/v1/models/${name}/monitoring/export?${query}`, token: viewer.token, params: { name } });

describe('GET /api/v1/models/{name}/monitoring/distribution', () => {
  it('gives reference and current shares per decile bin, and masks the values of sensitive features', async () => {
    const name = await newModel();
    await send(name, 100, { shift: 1000 });
    const window = `environment=production&version=1&from=${q(Date.now() - 2 * HOUR)}`;

    const x = await distribution(name, `${window}&column=x`);
    expect(x.status, x.text).toBe(200);
    expect(x.body).toMatchObject({ column: 'x', type: 'numeric', sensitive: false, hasReference: true, nReference: 100, nCurrent: 100 });
    expect(x.body.bins).toHaveLength(10);
    expect(x.body.bins.map((b: { reference: number }) => b.reference)).toEqual(range(10).map(() => 0.1));
    // Deciles of 0…99 (numpy's linear interpolation): 9.9 … 89.1. Every shifted value lands in the top bin.
    expect(x.body.bins.at(-1)).toMatchObject({ label: '≥ 89.1', current: 1, currentCount: 100 });
    expect(x.body.bins[0].label).toBe('< 9.9');

    const income = await distribution(name, `${window}&column=income`);
    expect(income.body).toMatchObject({ sensitive: true, nCurrent: 100 });
    expect(income.body.bins.map((b: { label: string }) => b.label)).toEqual(range(10).map((i) => `••• ${i + 1}`));
    expect(income.body.bins.map((b: { current: number }) => b.current)).toEqual(range(10).map(() => 0.1));

    const email = await distribution(name, `${window}&column=email`);
    expect(email.body).toMatchObject({ type: 'categorical', sensitive: true });
    expect(email.body.bins).toHaveLength(5);
    expect(email.text).not.toMatch(/@|h:/);

    const missing = await distribution(name, `${window}&column=nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('no feature named "nope"');
  });

  it('uses a re-uploaded reference from the next read on (profiles are cached by revision)', async () => {
    const name = await newModel();
    const window = `environment=production&version=1&from=${q(Date.now() - 2 * HOUR)}&column=x`;
    const before = await distribution(name, window);
    expect(before.body.bins[0].label).toBe('< 9.9');

    const again = await m.reference(engineer.token, name, 1, {
      columns: { x: range(100).map((i) => i + 1000), y: range(100), income: range(100), email: range(100).map((i) => `user${i % 5}@example.com`) },
    });
    expect(again.status, again.text).toBe(201);
    const after = await distribution(name, window);
    expect(after.body.bins[0].label).toBe('< 1010');
    expect(after.body.bins.at(-1).label).toBe('≥ 1089');
  });
});

describe('GET /api/v1/models/{name}/monitoring/export', () => {
  it('serves each chart as CSV with its header and rows, sensitive values masked', async () => {
    const name = await newModel();
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    await send(name, 50, { at: hour - HOUR + 50_000, errors: 5, wrong: 10 });
    const window = `environment=production&version=1&from=${q(hour - 2 * HOUR)}&to=${q(hour)}`;

    const operations = await exportCsv(name, `chart=operations&${window}`);
    expect(operations.status, operations.text).toBe(200);
    expect(operations.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(operations.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${name}-production-operations-.*\\.csv"$`));
    const lines = operations.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('bucket_start,version,predictions,throughput_per_minute,error_rate,latency_p50_ms,latency_p95_ms,latency_p99_ms');
    expect(lines).toHaveLength(3);
    // The empty hour is a gap: empty cells, not zeros.
    expect(lines[1]).toBe(`${iso(hour - 2 * HOUR)},1,0,,,,,`);
    expect(lines[2]!.startsWith(`${iso(hour - HOUR)},1,50,${50 / 60},0.1,`)).toBe(true);

    const performance = await exportCsv(name, `chart=performance&${window}`);
    const row = performance.text.trimEnd().split('\r\n')[2]!.split(',');
    expect(performance.text.split('\r\n')[0]).toBe('bucket_start,version,labeled,accuracy,precision,recall,f1,auc,log_loss,mae,rmse,r2');
    expect(row.slice(0, 4)).toEqual([iso(hour - HOUR), '1', '50', '0.8']);

    const drift = await exportCsv(name, `chart=drift&${window}`);
    const driftLines = drift.text.trimEnd().split('\r\n');
    expect(driftLines[0]).toBe('bucket_start,version,feature,type,method,value,threshold,drifted,n_current,n_null,psi,jensen_shannon,chi_square_p_value');
    // Four features and the prediction column is not referenced: 4 × 2 buckets.
    expect(driftLines).toHaveLength(1 + 4 * 2);
    expect(driftLines.some((l) => l.startsWith(`${iso(hour - HOUR)},1,x,numeric,psi,`))).toBe(true);

    const email = await exportCsv(name, `chart=distribution&column=email&${window}`);
    expect(email.status).toBe(200);
    const emailLines = email.text.trimEnd().split('\r\n');
    expect(emailLines[0]).toBe('feature,version,bin,reference_share,current_share,reference_count,current_count');
    expect(emailLines.slice(1)).toEqual(range(5).map((i) => `email,1,••• ${i + 1},0.2,0.2,20,10`));
    expect(email.text).not.toMatch(/@|h:/);
  });

  it('refuses an unknown chart, a distribution without its column, and too long a window', async () => {
    const name = await newModel();
    const unknown = await exportCsv(name, 'chart=pie&environment=production&version=1');
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('chart must be one of drift, performance, operations, distribution');
    const noColumn = await exportCsv(name, 'chart=distribution&environment=production&version=1');
    expect(noColumn.status).toBe(422);
    expect(noColumn.text).toContain('chart=distribution needs column');
    const long = await exportCsv(name, `chart=drift&bucket=1h&environment=production&version=1&from=${q(Date.now() - 40 * DAY)}`);
    expect(long.status).toBe(422);
    expect(long.text).toContain('at most 31 days with bucket=1h');
    expect((await exportCsv('no-such-model', 'chart=drift&environment=production&version=1')).status).toBe(404);
  });
});

describe('GET /api/v1/models/{name}/monitoring/releases', () => {
  it('lists the releases that went live in the window, with their version', async () => {
    const name = await newModel();
    expect((await api.registerVersion(engineer.token, name, { features: FEATURES })).status).toBe(201);
    const model = await db().model.findUniqueOrThrow({ where: { name }, include: { versions: { orderBy: { version: 'asc' } } } });
    const production = await db().environment.findUniqueOrThrow({ where: { name: 'production' } });
    const release = (versionIndex: number, liveAt: number, endedAt: number | null) =>
      db().release.create({
        data: {
          modelId: model.id,
          versionId: model.versions[versionIndex]!.id,
          environmentId: production.id,
          status: endedAt ? 'superseded' : 'live',
          slot: endedAt ? null : 'primary',
          requestedById: engineer.user.id,
          liveAt: new Date(liveAt),
          endedAt: endedAt ? new Date(endedAt) : null,
        },
      });
    await release(0, Date.now() - 10 * DAY, Date.now() - 3 * HOUR);
    await release(1, Date.now() - 3 * HOUR, null);
    const response = await call(releasesRoute, { path: `/api/v1/models/${name}/monitoring/releases?environment=production`, token: viewer.token, params: { name } });
    expect(response.status, response.text).toBe(200);
    expect(response.body.releases).toHaveLength(1);
    expect(response.body.releases[0]).toMatchObject({ version: 2, strategy: 'replace', endedAt: null });
    const wide = await call(releasesRoute, {
      path: `/api/v1/models/${name}/monitoring/releases?environment=production&from=${q(Date.now() - 30 * DAY)}`,
      token: viewer.token,
      params: { name },
    });
    expect(wide.body.releases.map((r: { version: number }) => r.version)).toEqual([1, 2]);
  });
});

describe('drift window cap', () => {
  const drift = (name: string, query: string) => call(driftRoute, { path: `/api/v1/models/${name}/drift?${query}`, token: viewer.token, params: { name } });

  it('caps the window at 31 days whether to is given or defaults to now', async () => {
    const name = await newModel();
    const base = 'environment=production&version=1';
    const both = await drift(name, `${base}&from=${q(Date.now() - 40 * DAY)}&to=${q(Date.now())}`);
    expect(both.status).toBe(422);
    expect(both.text).toContain('A drift window spans at most 31 days');
    const fromOnly = await drift(name, `${base}&from=${q(Date.now() - 40 * DAY)}`);
    expect(fromOnly.status).toBe(422);
    expect(fromOnly.text).toContain('A drift window spans at most 31 days');
    const future = await drift(name, `${base}&from=${q(Date.now() + DAY)}`);
    expect(future.status).toBe(422);
    expect(future.text).toContain('from must be before to');
    expect((await drift(name, `${base}&from=${q(Date.now() - 30 * DAY)}`)).status).toBe(200);
    expect((await drift(name, `${base}&to=${q(Date.now() - 60 * DAY)}`)).status).toBe(200);
  });
});
