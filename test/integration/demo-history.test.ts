import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as demoHistoryRoute } from '@/app/api/v1/demo/history/route';
import { db } from '@/lib/db';
import { DAY, HISTORY_DRIFT, HOUR, planHour } from '@/lib/demo/history';
import { demoHistoryDays } from '@/lib/server/demo/demo-history-settings';
import { generateDemoHistory } from '@/lib/server/demo/generate-demo-history';
import { queueDemoHistory } from '@/lib/server/demo/queue-demo-history';
import { runDemoHistory, STALE_AFTER_MS } from '@/lib/server/demo/run-demo-history';
import { getDrift } from '@/lib/server/monitoring/get-drift';
import { getPerformance } from '@/lib/server/monitoring/get-performance';
import { monitoringPool } from '@/lib/server/monitoring/pool';
import { seedDemo } from '@/prisma/seed/demo';
import { call, createTestUser } from '../helpers';

const DAYS = 30;
const PRODUCTION_MODELS = ['churn-predictor', 'demand-forecast', 'fraud-detector'];

let artifactDir: string;
beforeAll(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-demo-history-'));
  process.env.ARTIFACT_DIR = artifactDir;
  await seedDemo();
}, 120_000);
afterAll(() => rm(artifactDir, { recursive: true, force: true }));

async function storedIds(model: string): Promise<number> {
  const { rows } = await monitoringPool().query<{ n: string }>(
    'SELECT count(*) AS n FROM monitoring_record_ids i JOIN models m ON m.id = i.model_id WHERE m.name = $1',
    [model],
  );
  return Number(rows[0]!.n);
}

async function rollupTotal(): Promise<number> {
  const { rows } = await monitoringPool().query<{ total: string }>('SELECT coalesce(sum(c.value::float8), 0) AS total FROM monitoring_rollups, jsonb_each_text(cells) AS c(cell, value)');
  return Number(rows[0]!.total);
}

describe('the demo history', () => {
  it('reads its length from MODELDECK_DEMO_HISTORY_DAYS, 30 by default, and names a bad value', () => {
    expect(demoHistoryDays(undefined)).toBe(30);
    expect(demoHistoryDays('0')).toBe(0);
    expect(demoHistoryDays('7')).toBe(7);
    expect(() => demoHistoryDays('thirty')).toThrow(/MODELDECK_DEMO_HISTORY_DAYS .* not "thirty"/);
    expect(() => demoHistoryDays('120')).toThrow(/from 0 \(off\) to 89/);
  });

  it('is queued once per database, with its status readable over the API', async () => {
    const viewer = await createTestUser(['viewer']);
    const before = await call(demoHistoryRoute, { path: '/api/v1/demo/history', method: 'GET', token: viewer.token });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ status: 'none' });

    expect(await queueDemoHistory(DAYS)).toBe(true);
    expect(await queueDemoHistory(DAYS)).toBe(false);
    const queued = await call(demoHistoryRoute, { path: '/api/v1/demo/history', method: 'GET', token: viewer.token });
    expect(queued.body).toMatchObject({ status: 'queued', days: DAYS, daysDone: 0 });
    expect((await call(demoHistoryRoute, { path: '/api/v1/demo/history', method: 'GET' })).status).toBe(401);
  });

  it('resumes after a kill midway without storing anything twice, then fills 30 days of every production model', { timeout: 300_000 }, async () => {
    // A run killed after 10 days: the row says running, 10 days committed.
    const partial = await generateDemoHistory({ days: DAYS, stopAfterDays: 10 });
    expect(partial.daysDone).toBe(10);
    expect(await db().demoHistory.findUniqueOrThrow({ where: { id: 'demo' } })).toMatchObject({ status: 'running', daysDone: 10 });
    // Its job, run again while the row is fresh, leaves it to the running one.
    await runDemoHistory();
    expect((await db().demoHistory.findUniqueOrThrow({ where: { id: 'demo' } })).daysDone).toBe(10);
    // Once the row is stale (the runner died), the resumed job claims it and finishes.
    await runDemoHistory(Date.now() + STALE_AFTER_MS + 1000);
    const done = await db().demoHistory.findUniqueOrThrow({ where: { id: 'demo' } });
    expect(done).toMatchObject({ status: 'done', daysDone: DAYS });

    // Every planned record is stored exactly once: the stored ids are the plan's.
    const to = Math.floor(done.startedAt!.getTime() / HOUR) * HOUR;
    const from = to - DAYS * DAY;
    let planned = 0;
    for (const model of PRODUCTION_MODELS) {
      let count = 0;
      for (let hour = from; hour < to; hour += HOUR) count += planHour(model, hour).length;
      expect(await storedIds(model), model).toBe(count);
      planned += count;
    }
    expect(done.predictions).toBe(planned);
    // Smooth hourly charts, bounded volume: 20–60 records per model and hour.
    expect(planned / (PRODUCTION_MODELS.length * DAYS * 24)).toBeGreaterThan(20);
    expect(planned / (PRODUCTION_MODELS.length * DAYS * 24)).toBeLessThan(60);
    // Labels arrive later, some never: fewer labels than predictions, but most of them.
    expect(done.labels).toBeGreaterThan(planned * 0.7);
    expect(done.labels).toBeLessThan(planned * 0.86);

    // A rerun from the start adds nothing: no id, no rollup count.
    const ids = await Promise.all(PRODUCTION_MODELS.map(storedIds));
    const rollups = await rollupTotal();
    await db().demoHistory.update({ where: { id: 'demo' }, data: { status: 'queued', daysDone: 0, predictions: 0, labels: 0 } });
    const rerun = await generateDemoHistory({ days: DAYS, stopAfterDays: 3, now: done.startedAt!.getTime() });
    expect(rerun).toEqual({ daysDone: 3, predictions: 0, labels: 0 });
    expect(await Promise.all(PRODUCTION_MODELS.map(storedIds))).toEqual(ids);
    expect(await rollupTotal()).toBeCloseTo(rollups, 0);
    await db().demoHistory.update({ where: { id: 'demo' }, data: { status: 'done', daysDone: DAYS } });
    // Done is done: the job does nothing more.
    await runDemoHistory(Date.now() + 10 * STALE_AFTER_MS);
    expect(await Promise.all(PRODUCTION_MODELS.map(storedIds))).toEqual(ids);
  });

  it('gives every production model daily rollups over the 30 days, with labels joined', async () => {
    const row = await db().demoHistory.findUniqueOrThrow({ where: { id: 'demo' } });
    const to = new Date(Math.floor(row.startedAt!.getTime() / HOUR) * HOUR);
    const from = new Date(to.getTime() - DAYS * DAY);
    for (const model of PRODUCTION_MODELS) {
      const series = await getPerformance(model, { environment: 'production', from: from.toISOString(), to: to.toISOString(), bucket: '1d' });
      const byDay = new Map<string, { count: number; labeled: number; quality: number | null }>();
      for (const version of series.versions) {
        for (const point of version.points) {
          const day = byDay.get(point.t) ?? { count: 0, labeled: 0, quality: null };
          day.count += point.count;
          day.labeled += point.labeled;
          day.quality ??= series.task === 'classification' ? point.accuracy : point.mae;
          byDay.set(point.t, day);
        }
      }
      const days = [...byDay.values()].filter((d) => d.count > 0);
      // Every day of the window (the first and last are partial UTC days).
      expect(days.length, model).toBeGreaterThanOrEqual(DAYS);
      // All but the last day or two have most labels; quality figures come from them.
      for (const day of days.slice(0, -2)) {
        expect(day.labeled / day.count, model).toBeGreaterThan(0.7);
        expect(day.quality, model).not.toBeNull();
      }
      expect(days.at(-1)!.labeled / days.at(-1)!.count, model).toBeLessThan(0.7);
    }
    // Real models, real scores: the classifiers are right most of the time.
    const fraud = await getPerformance('fraud-detector', { environment: 'production', from: from.toISOString(), to: to.toISOString(), bucket: '1d' });
    const accuracies = fraud.versions.flatMap((v) => v.points.map((p) => p.accuracy)).filter((a): a is number => a !== null);
    expect(Math.min(...accuracies)).toBeGreaterThan(0.85);
  });

  it('makes churn-predictor’s monthly charges drift in the second half and not the first', async () => {
    const row = await db().demoHistory.findUniqueOrThrow({ where: { id: 'demo' } });
    const to = Math.floor(row.startedAt!.getTime() / HOUR) * HOUR;
    const middle = to - DAYS * DAY + 15 * DAY;
    const model = await db().model.findUniqueOrThrow({ where: { name: HISTORY_DRIFT.model } });
    const halves = [
      { from: middle - 15 * DAY, to: middle, drifts: false },
      { from: middle, to, drifts: true },
    ];
    for (const half of halves) {
      // Each version that served in the half, against its own reference (its training split).
      const { rows } = await monitoringPool().query<{ version: number }>(
        `SELECT DISTINCT v.version FROM monitoring_record_ids i JOIN model_versions v ON v.id = i.version_id
         WHERE i.model_id = $1 AND i.ts >= $2 AND i.ts < $3`,
        [model.id, new Date(half.from), new Date(half.to)],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { version } of rows) {
        const report = await getDrift(HISTORY_DRIFT.model, {
          environment: 'production',
          version,
          from: new Date(half.from).toISOString(),
          to: new Date(half.to).toISOString(),
        });
        const charges = report.features.find((f) => f.name === HISTORY_DRIFT.shift.feature)!;
                expect(charges.drifted, `v${version} ${half.drifts ? 'second' : 'first'} half`).toBe(half.drifts);
        // The other features stay put.
        expect(charges.nCurrent).toBeGreaterThan(5000);
        expect(report.features.filter((f) => f.name !== HISTORY_DRIFT.shift.feature && f.drifted)).toEqual([]);
      }
    }
    // The models that do not drift stay quiet over the whole second half.
    const fraud = await getDrift('fraud-detector', { environment: 'production', from: new Date(middle).toISOString(), to: new Date(to).toISOString() });
    expect(fraud.datasetDrift.drifted).toBe(false);
    expect(fraud.features.filter((f) => f.drifted)).toEqual([]);
  });

  it('has a release in the middle: fraud-detector v2 went live in production about 10 days ago, audited then', async () => {
    const release = await db().release.findFirstOrThrow({
      where: { model: { name: 'fraud-detector' }, environment: { name: 'production' }, version: { version: 2 } },
    });
    const daysAgo = (Date.now() - release.liveAt!.getTime()) / DAY;
    expect(daysAgo).toBeGreaterThan(8);
    expect(daysAgo).toBeLessThan(12.5);
    const audit = await db().auditEntry.findFirstOrThrow({ where: { action: 'release.live', targetId: release.id } });
    expect(Math.abs(audit.at.getTime() - release.liveAt!.getTime())).toBeLessThan(60_000);
    // Predictions before it went to v1, after it to v2: both versions have a series, split at the release.
    const to = new Date();
    const from = new Date(to.getTime() - DAYS * DAY);
    const series = await getPerformance('fraud-detector', { environment: 'production', from: from.toISOString(), to: to.toISOString(), bucket: '1d' });
    const lastDay = (version: number) => series.versions.find((v) => v.version === version)!.points.filter((p) => p.count > 0).at(-1)!.t;
    const firstDay = (version: number) => series.versions.find((v) => v.version === version)!.points.find((p) => p.count > 0)!.t;
    expect(series.versions.map((v) => v.version)).toEqual([1, 2]);
    const releaseDay = new Date(Math.floor(release.liveAt!.getTime() / DAY) * DAY).toISOString();
    expect(lastDay(1)).toBe(releaseDay);
    expect(firstDay(2)).toBe(releaseDay);
  });
});
