import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as previewRuleRoute } from '@/app/api/v1/alert-rules/preview/route';
import { POST as createRuleRoute } from '@/app/api/v1/alert-rules/route';
import { db } from '@/lib/db';
import { evaluateAlerts } from '@/lib/server/alerts/evaluate-alerts';
import { getAlertSeries } from '@/lib/server/alerts/get-alert-series';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { createRandom } from '@/lib/demo/random';
import { countBinsSorted, psiFromCounts, quantileEdges } from '@/lib/stats/bins';
import { binsHomogeneity } from '@/lib/stats/bucket-verdict';
import { confusionCounts, metricsFromCounts } from '@/lib/stats/performance';
import { call, createTestUser } from '../helpers';
import { monitoringApi as m } from '../monitoring-api';
import { api } from '../registry-api';

/**
 * Real signals end to end: records go in through the ingestion endpoints, rules through the
 * REST API, and the evaluator measures them from the rollups.
 */

let engineer: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  engineer = await createTestUser(['engineer']);
});

afterAll(async () => {
  await closeMonitoringPool();
});

const HOUR = 3_600_000;
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const iso = (ms: number) => new Date(ms).toISOString();

async function model(task: 'classification' | 'regression', reference?: Record<string, unknown[]>) {
  const name = unique('signals');
  expect((await api.createModel(engineer.token, { name, task })).status).toBe(201);
  const features = [
    { name: 'age', type: 'numeric' },
    { name: 'plan', type: 'categorical' },
  ];
  expect((await api.registerVersion(engineer.token, name, { features })).status).toBe(201);
  if (reference) expect((await m.reference(engineer.token, name, 1, { columns: reference })).status).toBe(201);
  return name;
}

async function send(name: string, records: unknown[]) {
  const sent = await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, records);
  expect(sent.status, sent.text).toBe(202);
}

async function rule(name: string, overrides: Record<string, unknown>) {
  const created = await call(createRuleRoute, {
    path: '/api/v1/alert-rules',
    token: engineer.token,
    json: {
      name: unique('rule'),
      model: name,
      environment: 'production',
      comparator: '>',
      threshold: 0,
      windowMinutes: 60,
      minSamples: 10,
      severity: 'warning',
      channels: [],
      ...overrides,
    },
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

async function evaluate(ruleId: string, now = new Date()) {
  await evaluateAlerts({ now, ruleIds: [ruleId] });
  return db().alert.findMany({ where: { ruleId }, orderBy: { firedAt: 'asc' } });
}

describe('alert signals read the monitoring rollups', () => {
  it('error_rate fires from ingested records and stays quiet below the threshold', async () => {
    const name = await model('classification');
    const now = Date.now();
    // 25 records in the last minutes, 5 with an error: a rate of 0.2.
    await send(
      name,
      Array.from({ length: 25 }, (_, i) => ({
        id: `e-${i}`,
        timestamp: iso(now - 120_000 + i * 1000),
        features: { age: i, plan: 'free' },
        prediction: '1',
        ...(i % 5 === 0 ? { error: 'model crashed' } : {}),
      })),
    );
    const firing = await rule(name, { signal: { type: 'error_rate' }, comparator: '>', threshold: 0.1 });
    const [alert] = await evaluate(firing, new Date(now));
    expect(alert).toMatchObject({ status: 'firing', seriesKey: '', samples: 25 });
    expect(alert!.value).toBeCloseTo(0.2, 12);

    const quiet = await rule(name, { signal: { type: 'error_rate' }, comparator: '>', threshold: 0.25 });
    expect(await evaluate(quiet, new Date(now))).toEqual([]);
    // minSamples above the window's predictions: neither fires nor resolves.
    const few = await rule(name, { signal: { type: 'error_rate' }, threshold: 0.1, minSamples: 26 });
    expect(await evaluate(few, new Date(now))).toEqual([]);
  });

  it('feature_drift fires on a shifted feature with the PSI computed from the reference bins', async () => {
    const referenceAges = Array.from({ length: 200 }, (_, i) => i % 100);
    const name = await model('regression', { age: referenceAges, plan: referenceAges.map((a) => (a < 50 ? 'free' : 'pro')) });
    const now = Date.now();
    const currentAges = Array.from({ length: 60 }, (_, i) => 60 + (i % 40));
    await send(
      name,
      currentAges.map((age, i) => ({ id: `d-${i}`, timestamp: iso(now - 120_000 + i * 1000), features: { age, plan: 'pro' }, prediction: age / 10 })),
    );

    const ruleId = await rule(name, { version: 1, signal: { type: 'feature_drift', feature: 'age', statistic: 'psi' }, comparator: '>=', threshold: 0.2 });
    const [alert] = await evaluate(ruleId, new Date(now));
    const sorted = [...referenceAges].sort((a, b) => a - b);
    const edges = quantileEdges(sorted);
    const expected = psiFromCounts(countBinsSorted(edges, sorted), countBinsSorted(edges, [...currentAges].sort((a, b) => a - b)));
    expect(alert).toMatchObject({ status: 'firing', seriesKey: 'age', samples: 60 });
    expect(alert!.value).toBeCloseTo(expected, 12);

    // Without a version the rule watches the version that received the records; "plan" (only
    // "pro" against half "free") drifts by its default test, a chi-square p-value.
    const plan = await rule(name, { signal: { type: 'feature_drift', feature: 'plan' }, comparator: '<', threshold: 0.05 });
    expect(await evaluate(plan, new Date(now))).toMatchObject([{ status: 'firing', seriesKey: 'plan', samples: 60 }]);

    // Both features drifted: the dataset's share is 1.
    const dataset = await rule(name, { signal: { type: 'dataset_drift' }, comparator: '>=', threshold: 0.5 });
    expect(await evaluate(dataset, new Date(now))).toMatchObject([{ status: 'firing', value: 1, samples: 60 }]);
    // No prediction reference: prediction drift measures nothing.
    const prediction = await rule(name, { signal: { type: 'prediction_drift' }, comparator: '>', threshold: 0 });
    expect(await evaluate(prediction, new Date(now))).toEqual([]);
  });

  it('drift rules do not fire on a quiet hour of values like the reference, nor on too few values, and fire on a real shift', async () => {
    const random = createRandom(3);
    const reference = Array.from({ length: 1000 }, () => Math.round(random.normal(50, 10) * 10) / 10);
    const plans = reference.map((_, i) => (i % 4 === 0 ? 'pro' : 'free'));
    const sortedReference = [...reference].sort((a, b) => a - b);
    const edges = quantileEdges(sortedReference);
    const referenceBins = countBinsSorted(edges, sortedReference);
    const draw = (n: number, shift: number) => Array.from({ length: n }, () => Math.round(random.normal(50 + shift, 10) * 10) / 10);
    // A quiet hour: 40 values drawn like the reference whose PSI is past 0.2 all the same,
    // within the noise of 40 values (the chi-square test on the bins does not reject).
    let quiet = draw(40, 0);
    const binsOf = (values: number[]) => countBinsSorted(edges, [...values].sort((a, b) => a - b));
    while (psiFromCounts(referenceBins, binsOf(quiet)) < 0.25 || binsHomogeneity(referenceBins, binsOf(quiet)).pValue < 0.2) quiet = draw(40, 0);
    const now = Date.now();
    const scenario = async (ages: number[]) => {
      const name = await model('regression', { age: reference, plan: plans });
      await send(name, ages.map((age, i) => ({ id: `q-${i}`, timestamp: iso(now - 120_000 + i * 1000), features: { age, plan: i % 4 === 0 ? 'pro' : 'free' }, prediction: 1 })));
      const psi = await rule(name, { version: 1, signal: { type: 'feature_drift', feature: 'age', statistic: 'psi' }, comparator: '>=', threshold: 0.2, minSamples: 1 });
      const byDefault = await rule(name, { version: 1, signal: { type: 'feature_drift', feature: 'age' }, comparator: '>', threshold: 0.2, minSamples: 1 });
      const dataset = await rule(name, { version: 1, signal: { type: 'dataset_drift' }, comparator: '>=', threshold: 0.5, minSamples: 1 });
      return { psi: await evaluate(psi, new Date(now)), byDefault: await evaluate(byDefault, new Date(now)), dataset: await evaluate(dataset, new Date(now)) };
    };

    expect(await scenario(quiet)).toEqual({ psi: [], byDefault: [], dataset: [] });
    // Twelve values far off: too few for a verdict, whatever minSamples says.
    expect(await scenario(draw(12, 40))).toEqual({ psi: [], byDefault: [], dataset: [] });
    // 40 values shifted by one standard deviation: every rule fires.
    const shifted = draw(40, 10);
    const fired = await scenario(shifted);
    expect(fired.psi).toMatchObject([{ status: 'firing', seriesKey: 'age', samples: 40 }]);
    expect(fired.psi[0]!.value).toBeCloseTo(psiFromCounts(referenceBins, binsOf(shifted)), 12);
    expect(fired.byDefault).toMatchObject([{ status: 'firing', seriesKey: 'age' }]);
    // Age drifted, plan (drawn like its reference) did not: half the features.
    expect(fired.dataset).toMatchObject([{ status: 'firing', value: 0.5 }]);
  });

  it('performance, latency and prediction_drift measure labelled, timed and predicted values', async () => {
    const name = await model('classification', { prediction: Array.from({ length: 100 }, (_, i) => (i < 98 ? '0' : '1')) });
    const now = Date.now();
    const truth = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const predicted = truth.map((t, i) => (i % 4 === 0 ? 1 - t : t));
    const latencies = truth.map((_, i) => 10 + i);
    await send(
      name,
      predicted.map((p, i) => ({ id: `c-${i}`, timestamp: iso(now - 120_000 + i * 1000), features: { age: i, plan: 'free' }, prediction: String(p), latencyMs: latencies[i] })),
    );
    expect((await m.labels(engineer.token, { model: name }, truth.map((label, i) => ({ id: `c-${i}`, label })))).status).toBe(202);

    const f1 = await rule(name, { signal: { type: 'performance', metric: 'f1' }, comparator: '<', threshold: 0.99 });
    const [alert] = await evaluate(f1, new Date(now));
    expect(alert).toMatchObject({ status: 'firing', samples: 40 });
    expect(alert!.value).toBeCloseTo(metricsFromCounts(confusionCounts(truth, predicted)).f1!, 12);

    const p95 = await rule(name, { signal: { type: 'latency', percentile: 95 }, comparator: '>', threshold: 40 });
    const [slow] = await evaluate(p95, new Date(now));
    // The p95 of 10…49 ms is the 38th value, 47 ms; the sketch answers within 5% above it.
    expect(slow!.value).toBeGreaterThanOrEqual(47);
    expect(slow!.value).toBeLessThanOrEqual(47 * 1.05);
    expect(slow!.samples).toBe(40);

    const drift = await rule(name, { signal: { type: 'prediction_drift' }, comparator: '<', threshold: 0.05 });
    const [predictionAlert] = await evaluate(drift, new Date(now));
    expect(predictionAlert).toMatchObject({ status: 'firing', samples: 40 });
  });

  it('traffic_drop fires when throughput fell by at least its percent against a day or a week before', async () => {
    const name = await model('regression');
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    const records = (prefix: string, n: number, start: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, timestamp: iso(start + i * 1000), features: { age: 1, plan: 'a' }, prediction: 1 }));
    // Last whole hour: 5 records; a day before: 20 (a 75% drop); a week before: 6 (about 17%).
    await send(name, records('t', 5, hour - HOUR));
    await send(name, records('y', 20, hour - 24 * HOUR - HOUR));
    await send(name, records('w', 6, hour - 7 * 24 * HOUR - HOUR));
    // The rule's comparator and threshold do not decide: the percent does.
    const atHalf = await rule(name, { signal: { type: 'traffic_drop', percent: 50 }, comparator: '<', threshold: -1000 });
    const [alert] = await evaluate(atHalf, new Date(hour + 60_000));
    expect(alert).toMatchObject({ status: 'firing', samples: 20, threshold: 50 });
    expect(alert!.value).toBeCloseTo(75, 12);
    expect(await db().alertRule.findUniqueOrThrow({ where: { id: atHalf } })).toMatchObject({ comparator: '>=', threshold: 50 });

    const atEighty = await rule(name, { signal: { type: 'traffic_drop', percent: 80 } });
    expect(await evaluate(atEighty, new Date(hour + 60_000))).toEqual([]);

    const weekly = await rule(name, { signal: { type: 'traffic_drop', percent: 50, against: 'week' }, minSamples: 1 });
    expect(await evaluate(weekly, new Date(hour + 60_000))).toEqual([]);
    const weeklySmall = await rule(name, { signal: { type: 'traffic_drop', percent: 15, against: 'week' }, minSamples: 1 });
    const [weeklyAlert] = await evaluate(weeklySmall, new Date(hour + 60_000));
    expect(weeklyAlert).toMatchObject({ status: 'firing', samples: 6 });
    expect(weeklyAlert!.value).toBeCloseTo((1 / 6) * 100, 12);
  });

  it('previews how often a draft rule would have fired over the last 7 days, storing nothing', async () => {
    const name = await model('classification');
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    const batch = (prefix: string, start: number, errors: number) =>
      Array.from({ length: 20 }, (_, i) => ({ id: `${prefix}-${i}`, timestamp: iso(start + i * 1000), features: { age: i, plan: 'a' }, prediction: '1', ...(i < errors ? { error: 'x' } : {}) }));
    const a = hour - 50 * HOUR;
    // Hour a: half the requests fail; the two hours after it are clean (a full clear window:
    // resolved); ten hours later failures again, still open at the end.
    await send(name, batch('a', a, 10));
    await send(name, batch('a1', a + HOUR, 0));
    await send(name, batch('a2', a + 2 * HOUR, 0));
    await send(name, batch('b', a + 10 * HOUR, 8));
    const draft = { model: name, environment: 'production', signal: { type: 'error_rate' }, comparator: '>', threshold: 0.3, windowMinutes: 60, minSamples: 10 };
    const preview = await call(previewRuleRoute, { path: '/api/v1/alert-rules/preview', method: 'POST', token: engineer.token, json: draft });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.firings).toBe(2);
    expect(preview.body.points).toHaveLength(7 * 24 + 1);
    expect(preview.body.spans).toEqual([
      { from: iso(a + HOUR), to: iso(a + 3 * HOUR) },
      { from: iso(a + 11 * HOUR), to: null },
    ]);
    const fired = preview.body.points.find((p: { at: string }) => p.at === iso(a + HOUR));
    expect(fired).toMatchObject({ value: 0.5, samples: 20, breached: true });
    expect(preview.body.points.find((p: { at: string }) => p.at === iso(a + 5 * HOUR))).toMatchObject({ value: null, breached: null });

    // A higher threshold: only the first incident. Too many samples required: none.
    const higher = await call(previewRuleRoute, { path: '/api/v1/alert-rules/preview', method: 'POST', token: engineer.token, json: { ...draft, threshold: 0.45 } });
    expect(higher.body.firings).toBe(1);
    const strict = await call(previewRuleRoute, { path: '/api/v1/alert-rules/preview', method: 'POST', token: engineer.token, json: { ...draft, minSamples: 21 } });
    expect(strict.body).toMatchObject({ firings: 0, spans: [] });
    // The same checks as creating a rule, naming the field; nothing stored.
    const wrongMetric = await call(previewRuleRoute, { path: '/api/v1/alert-rules/preview', method: 'POST', token: engineer.token, json: { ...draft, signal: { type: 'performance', metric: 'rmse' } } });
    expect(wrongMetric.status).toBe(422);
    expect(wrongMetric.body.errors).toHaveProperty(['signal.metric']);
    const shortWindow = await call(previewRuleRoute, { path: '/api/v1/alert-rules/preview', method: 'POST', token: engineer.token, json: { ...draft, windowMinutes: 0 } });
    expect(shortWindow.status).toBe(422);
    expect(shortWindow.body.detail).toContain('windowMinutes');
    const modelRow = await db().model.findUniqueOrThrow({ where: { name } });
    expect(await db().alertRule.count({ where: { modelId: modelRow.id } })).toBe(0);
    expect(await db().alert.count({ where: { modelId: modelRow.id } })).toBe(0);
  });

  it('charts an alert: its signal hour by hour around the firing time, the threshold and the open span', async () => {
    const name = await model('classification');
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    const batch = (prefix: string, start: number, errors: number) =>
      Array.from({ length: 20 }, (_, i) => ({ id: `${prefix}-${i}`, timestamp: iso(start + i * 1000), features: { age: i, plan: 'a' }, prediction: '1', ...(i < errors ? { error: 'x' } : {}) }));
    // Clean two and three hours ago, failing last hour: fires at the top of this hour.
    await send(name, batch('c3', hour - 3 * HOUR, 0));
    await send(name, batch('c2', hour - 2 * HOUR, 1));
    await send(name, batch('f1', hour - HOUR, 12));
    const ruleId = await rule(name, { signal: { type: 'error_rate' }, comparator: '>', threshold: 0.3 });
    const [alert] = await evaluate(ruleId, new Date(hour + 60_000));
    expect(alert).toMatchObject({ status: 'firing' });
    const series = await getAlertSeries(alert!.id, new Date(hour + 60_000));
    expect(series).toMatchObject({ comparator: '>', threshold: 0.3, spans: [{ from: iso(hour + 60_000), to: null }] });
    const at = (ms: number) => series.points.find((point) => point.at === iso(ms));
    expect(series.points[0]!.at).toBe(iso(hour - 2 * HOUR));
    expect(series.points.at(-1)!.at).toBe(iso(hour + 60_000));
    expect(at(hour - 2 * HOUR)).toMatchObject({ value: 0, samples: 20, breached: false });
    expect(at(hour - HOUR)).toMatchObject({ value: 0.05, samples: 20, breached: false });
    expect(at(hour)).toMatchObject({ value: 0.6, samples: 20, breached: true });
  });
});
