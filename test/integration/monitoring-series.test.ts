import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as driftSeriesRoute } from '@/app/api/v1/models/[name]/drift/series/route';
import { GET as performanceRoute } from '@/app/api/v1/models/[name]/performance/route';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { categoricalDrift } from '@/lib/stats/drift';
import { createRandom } from '@/lib/demo/random';
import { countBinsSorted, jensenShannonFromCounts, psiFromCounts, quantileEdges } from '@/lib/stats/bins';
import { binsHomogeneity } from '@/lib/stats/bucket-verdict';
import { confusionCounts, logLoss, metricsFromCounts, regressionMetrics, rocAuc } from '@/lib/stats/performance';
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
/** Four whole hours ending at the start of the current hour: records go into hours 0 and 2. */
const base = Math.floor(Date.now() / HOUR) * HOUR - 4 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const window = `from=${encodeURIComponent(iso(base))}&to=${encodeURIComponent(iso(base + 4 * HOUR))}`;

const performance = (token: string, name: string, query: string) =>
  call(performanceRoute, { path: `/api/v1/models/${name}/performance?${query}`, token, params: { name } });
const driftSeries = (token: string, name: string, query: string) =>
  call(driftSeriesRoute, { path: `/api/v1/models/${name}/drift/series?${query}`, token, params: { name } });

/** Counts per reference decile bin, as the rollups keep them. */
function binsOf(reference: number[], current: number[]) {
  const sortedReference = [...reference].sort((a, b) => a - b);
  const edges = quantileEdges(sortedReference);
  return { reference: countBinsSorted(edges, sortedReference), current: countBinsSorted(edges, [...current].sort((a, b) => a - b)) };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('GET /api/v1/models/{name}/performance', () => {
  it('gives classification metrics, latency, throughput and error rate per hour from the rollups, with gaps for empty hours', async () => {
    const name = unique('perf');
    expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
    expect((await api.registerVersion(engineer.token, name, { features: [{ name: 'x', type: 'numeric' }] })).status).toBe(201);

    // 40 records in hour 0; scores at bin midpoints, so AUC and log loss from histograms are exact.
    const n = 40;
    const scores = Array.from({ length: n }, (_, i) => 0.025 + 0.05 * ((i * 7) % 20));
    const truth = scores.map((s, i) => (i % 5 === 0 ? Number(s < 0.5) : Number(s >= 0.5)));
    const latencies = Array.from({ length: n }, (_, i) => 5 + i * 3);
    const records = scores.map((score, i) => ({
      id: `p-${i}`,
      timestamp: iso(base + 60_000 * i),
      features: { x: i },
      prediction: { label: score >= 0.5 ? '1' : '0', score },
      latencyMs: latencies[i],
      ...(i % 10 === 3 ? { error: 'timeout' } : {}),
    }));
    // 6 more in hour 2, unlabelled.
    const later = Array.from({ length: 6 }, (_, i) => ({ id: `q-${i}`, timestamp: iso(base + 2 * HOUR + i * 1000), features: { x: 1 }, prediction: '1', latencyMs: 10 }));
    const sent = await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, [...records, ...later]);
    expect(sent.status, sent.text).toBe(202);
    const labelled = await m.labels(engineer.token, { model: name }, truth.map((label, i) => ({ id: `p-${i}`, label: label === 1 })));
    expect(labelled.status, labelled.text).toBe(202);

    const response = await performance(viewer.token, name, `environment=production&${window}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ model: name, environment: 'production', task: 'classification', bucket: '1h' });
    expect(response.body.versions).toHaveLength(1);
    const points = response.body.versions[0].points;
    expect(points.map((p: { t: string }) => p.t)).toEqual([0, 1, 2, 3].map((h) => iso(base + h * HOUR)));

    const predicted = scores.map((s) => Number(s >= 0.5));
    const expected = metricsFromCounts(confusionCounts(truth, predicted));
    const first = points[0];
    expect(first).toMatchObject({ count: n, labeled: n, errorRate: 4 / n, throughputPerMinute: n / 60 });
    expect(first.accuracy).toBeCloseTo(expected.accuracy!, 12);
    expect(first.precision).toBeCloseTo(expected.precision!, 12);
    expect(first.recall).toBeCloseTo(expected.recall!, 12);
    expect(first.f1).toBeCloseTo(expected.f1!, 12);
    expect(first.auc).toBeCloseTo(rocAuc(truth, scores)!, 12);
    expect(first.logLoss).toBeCloseTo(logLoss(truth, scores)!, 12);
    for (const [field, q] of [['latencyP50Ms', 0.5], ['latencyP95Ms', 0.95], ['latencyP99Ms', 0.99]] as const) {
      const exact = quantile(latencies, q);
      expect(first[field]).toBeGreaterThanOrEqual(exact);
      expect(first[field]).toBeLessThanOrEqual(exact * 1.05);
    }
    expect(first.mae).toBeNull();

    // Hour 1 and 3: gaps, not zeros. Hour 2: traffic without labels has no quality figures.
    for (const gap of [points[1], points[3]]) {
      expect(gap).toMatchObject({ count: 0, labeled: 0, throughputPerMinute: null, errorRate: null, latencyP50Ms: null, accuracy: null, auc: null });
    }
    expect(points[2]).toMatchObject({ count: 6, errorRate: 0, labeled: 0, accuracy: null, f1: null });

    // Days: the hours add up into one UTC day (or two when the window crosses midnight).
    const daily = await performance(viewer.token, name, `environment=production&bucket=1d&${window}`);
    expect(daily.status, daily.text).toBe(200);
    const dayPoints = daily.body.versions[0].points.filter((p: { count: number }) => p.count > 0);
    expect(dayPoints.reduce((sum: number, p: { count: number }) => sum + p.count, 0)).toBe(n + 6);

    // An empty window: 200, every bucket a gap.
    const empty = await performance(viewer.token, name, `environment=staging&version=1&${window}`);
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body.versions[0].points).toHaveLength(4);
    expect(empty.body.versions[0].points.every((p: { count: number; accuracy: null }) => p.count === 0 && p.accuracy === null)).toBe(true);
    expect((await performance(viewer.token, name, `environment=staging&${window}`)).body.versions).toEqual([]);
  });

  it('gives exact MAE, MSE, RMSE and R² for a regression model', async () => {
    const name = unique('reg');
    expect((await api.createModel(engineer.token, { name, task: 'regression' })).status).toBe(201);
    expect((await api.registerVersion(engineer.token, name, { features: [{ name: 'x', type: 'numeric' }] })).status).toBe(201);
    const truth = Array.from({ length: 30 }, (_, i) => i * 1.5);
    const predictions = truth.map((y, i) => y + ((i % 4) - 1.5));
    const sent = await m.predictions(
      engineer.token,
      { model: name, environment: 'production', version: 1 },
      predictions.map((p, i) => ({ id: `r-${i}`, timestamp: iso(base + HOUR + i * 1000), features: { x: i }, prediction: p })),
    );
    expect(sent.status, sent.text).toBe(202);
    expect((await m.labels(engineer.token, { model: name }, truth.map((label, i) => ({ id: `r-${i}`, label })))).status).toBe(202);

    const response = await performance(viewer.token, name, `environment=production&version=1&${window}`);
    expect(response.status, response.text).toBe(200);
    const point = response.body.versions[0].points[1];
    const expected = regressionMetrics(truth, predictions);
    expect(point.labeled).toBe(30);
    expect(point.mae).toBeCloseTo(expected.mae!, 10);
    expect(point.rmse).toBeCloseTo(expected.rmse!, 10);
    expect(point.mse).toBeCloseTo(expected.rmse! ** 2, 10);
    expect(point.r2).toBeCloseTo(expected.r2!, 10);
    expect(point.accuracy).toBeNull();
  });

  it('refuses bad windows with 422 naming the field, and unknown names with 404', async () => {
    const name = unique('bad');
    expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
    const backwards = await performance(viewer.token, name, `environment=production&from=${encodeURIComponent(iso(base + HOUR))}&to=${encodeURIComponent(iso(base))}`);
    expect([backwards.status, Object.keys(backwards.body.errors)]).toEqual([422, ['from']]);
    const tooLong = await performance(viewer.token, name, `environment=production&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`);
    expect([tooLong.status, Object.keys(tooLong.body.errors)]).toEqual([422, ['to']]);
    // Without `to` the window ends now: `from` alone cannot ask for years of hours.
    const fromOnly = await performance(viewer.token, name, 'environment=production&from=2020-01-01T00:00:00Z');
    expect([fromOnly.status, Object.keys(fromOnly.body.errors)]).toEqual([422, ['to']]);
    expect((await performance(viewer.token, name, 'environment=production&bucket=1d&from=2020-01-01T00:00:00Z')).status).toBe(422);
    const bucket = await performance(viewer.token, name, 'environment=production&bucket=5m');
    expect([bucket.status, Object.keys(bucket.body.errors)]).toEqual([422, ['bucket']]);
    expect((await performance(viewer.token, 'no-such-model', 'environment=production')).status).toBe(404);
    expect((await performance(viewer.token, name, 'environment=nowhere')).status).toBe(404);
    expect((await performance(viewer.token, name, 'environment=production&version=9')).status).toBe(404);
  });
});

describe('GET /api/v1/models/{name}/drift/series', () => {
  it('gives per-hour PSI and Jensen–Shannon on the reference bins, category tests, and gaps', async () => {
    const name = unique('dseries');
    expect((await api.createModel(engineer.token, { name, task: 'regression' })).status).toBe(201);
    const features = [
      { name: 'age', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ];
    expect((await api.registerVersion(engineer.token, name, { features })).status).toBe(201);
    const referenceAges = Array.from({ length: 200 }, (_, i) => i % 100);
    const referencePlans = referenceAges.map((a) => (a < 50 ? 'free' : 'pro'));
    expect((await m.reference(engineer.token, name, 1, { columns: { age: referenceAges, plan: referencePlans } })).status).toBe(201);

    // Hour 0 looks like the reference; hour 2 is shifted (older ages, only "pro").
    const hour0 = Array.from({ length: 100 }, (_, i) => i);
    const hour2 = Array.from({ length: 50 }, (_, i) => 60 + (i % 40));
    const records = [
      ...hour0.map((age, i) => ({ id: `a-${i}`, timestamp: iso(base + i * 1000), features: { age, plan: age < 50 ? 'free' : 'pro' }, prediction: 1 })),
      ...hour2.map((age, i) => ({ id: `b-${i}`, timestamp: iso(base + 2 * HOUR + i * 1000), features: { age, plan: 'pro' }, prediction: 1 })),
    ];
    const sent = await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, records);
    expect(sent.status, sent.text).toBe(202);

    const response = await driftSeries(viewer.token, name, `environment=production&version=1&${window}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ version: 1, bucket: '1h', hasReference: true, downsampled: false });

    const edges = quantileEdges([...referenceAges].sort((a, b) => a - b));
    const referenceBins = countBinsSorted(edges, [...referenceAges].sort((a, b) => a - b));
    const currentBins = countBinsSorted(edges, [...hour2].sort((a, b) => a - b));
    const age = response.body.features.find((f: { name: string }) => f.name === 'age');
    expect(age).toMatchObject({ type: 'numeric', threshold: 0.2 });
    expect(age.points).toHaveLength(4);
    expect(age.points[0]).toMatchObject({ nCurrent: 100, method: 'psi', drifted: false });
    expect(age.points[0].psi).toBeCloseTo(psiFromCounts(referenceBins, countBinsSorted(edges, hour0)), 12);
    expect(age.points[2]).toMatchObject({ nCurrent: 50, drifted: true });
    expect(age.points[2].psi).toBeCloseTo(psiFromCounts(referenceBins, currentBins), 12);
    expect(age.points[2].jensenShannon).toBeCloseTo(jensenShannonFromCounts(referenceBins, currentBins), 12);
    expect(age.points[2].value).toBe(age.points[2].psi);
    expect(age.points[1]).toMatchObject({ nCurrent: 0, value: null, drifted: null, psi: null });

    const plan = response.body.features.find((f: { name: string }) => f.name === 'plan');
    const expectedPlan = categoricalDrift('plan', referencePlans, hour2.map(() => 'pro'));
    expect(plan.points[2]).toMatchObject({ method: 'chi_square', nCurrent: 50, drifted: true });
    expect(plan.points[2].chiSquarePValue).toBeCloseTo(expectedPlan.chiSquare!.pValue, 12);
    expect(plan.points[2].psi).toBeCloseTo(expectedPlan.psi!, 12);
    expect(plan.points[3].value).toBeNull();

    expect(response.body.datasetDrift.map((d: { share: number | null }) => d.share)).toEqual([0, null, 1, null]);

    // An empty window: 200 and gaps everywhere.
    const empty = await driftSeries(viewer.token, name, `environment=staging&version=1&${window}`);
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body.features[0].points.every((p: { value: null }) => p.value === null)).toBe(true);

    // A month of hours is downsampled to at most 500 points per series, the drifted hour kept.
    const month = await driftSeries(
      viewer.token,
      name,
      `environment=production&version=1&from=${encodeURIComponent(iso(base + 4 * HOUR - 31 * 24 * HOUR))}&to=${encodeURIComponent(iso(base + 4 * HOUR))}`,
    );
    expect(month.status, month.text).toBe(200);
    expect(month.body.downsampled).toBe(true);
    const monthAge = month.body.features.find((f: { name: string }) => f.name === 'age');
    expect(monthAge.points.length).toBeLessThanOrEqual(500);
    expect(monthAge.points.some((p: { t: string; drifted: boolean }) => p.t === iso(base + 2 * HOUR) && p.drifted)).toBe(true);

    expect((await driftSeries(viewer.token, name, `environment=production&${window}`)).status).toBe(404);
  });
});

describe('drift/series verdicts on quiet hours (lib/stats/bucket-verdict.ts)', () => {
  it('flags no hour of a few dozen values from the reference, flags a shifted hour, and gives no verdict below the minimum', async () => {
    const name = unique('quiet');
    expect((await api.createModel(engineer.token, { name, task: 'regression' })).status).toBe(201);
    const features = [
      { name: 'age', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ];
    expect((await api.registerVersion(engineer.token, name, { features })).status).toBe(201);
    const random = createRandom(8);
    const PLANS = ['free', 'pro', 'team'];
    const plan = () => PLANS[random.weighted([0.6, 0.3, 0.1])]!;
    // Above 1,000 reference values the categorical column decides on Jensen–Shannon, a distance.
    const referenceAges = Array.from({ length: 1200 }, () => Math.round(random.normal(40, 10) * 10) / 10);
    const referencePlans = referenceAges.map(plan);
    expect((await m.reference(engineer.token, name, 1, { columns: { age: referenceAges, plan: referencePlans } })).status).toBe(201);

    // Twelve hours: eight quiet ones of 40 records drawn like the reference, then hour 9 with 60
    // records shifted by one standard deviation, and hour 11 with 12 records shifted by three.
    const start = Math.floor(Date.now() / HOUR) * HOUR - 12 * HOUR;
    const hour = (h: number, n: number, shift: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `q-${h}-${i}`,
        timestamp: iso(start + h * HOUR + i * 1000),
        features: { age: Math.round(random.normal(40 + shift * 10, 10) * 10) / 10, plan: shift > 0 ? 'team' : plan() },
        prediction: 1,
      }));
    const records = [...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((h) => hour(h, 40, 0)), ...hour(9, 60, 1), ...hour(11, 12, 3)];
    const sent = await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, records);
    expect(sent.status, sent.text).toBe(202);

    const response = await driftSeries(viewer.token, name, `environment=production&version=1&from=${encodeURIComponent(iso(start))}&to=${encodeURIComponent(iso(start + 12 * HOUR))}`);
    expect(response.status, response.text).toBe(200);
    type Point = { nCurrent: number; value: number | null; drifted: boolean | null; psi: number | null; jensenShannon: number | null; chiSquarePValue: number | null };
    const series = (column: string): Point[] => response.body.features.find((f: { name: string }) => f.name === column).points;
    const age = series('age');
    const plans = series('plan');
    const quiet = [0, 1, 2, 3, 4, 5, 6, 7];

    // Quiet hours: PSI past 0.2 in several of them (what used to be flagged), none drifted.
    expect(quiet.map((h) => age[h]!.nCurrent)).toEqual(quiet.map(() => 40));
    expect(quiet.filter((h) => age[h]!.psi! >= 0.2).length).toBeGreaterThanOrEqual(3);
    expect(quiet.map((h) => age[h]!.drifted)).toEqual(quiet.map(() => false));
    expect(quiet.map((h) => plans[h]!.drifted)).toEqual(quiet.map(() => false));
    // The guard's p-value is reported next to the distance, and the distance is unchanged.
    for (const h of quiet) {
      const bins = binsOf(referenceAges, records.slice(h * 40, h * 40 + 40).map((r) => r.features.age));
      expect(age[h]!.psi).toBeCloseTo(psiFromCounts(bins.reference, bins.current), 12);
      expect(age[h]!.chiSquarePValue).toBeCloseTo(binsHomogeneity(bins.reference, bins.current).pValue, 12);
    }
    expect(response.body.datasetDrift.slice(0, 8).map((d: { drifted: boolean | null }) => d.drifted)).toEqual(quiet.map(() => false));

    // The shifted hour drifts on both columns, each backed by its test.
    expect(age[9]).toMatchObject({ nCurrent: 60, drifted: true });
    expect(age[9]!.chiSquarePValue).toBeLessThan(0.05);
    expect(plans[9]).toMatchObject({ method: 'jensen_shannon', drifted: true });
    expect(response.body.datasetDrift[9]).toMatchObject({ share: 1, drifted: true });

    // Twelve records, far off: figures shown, no verdict, and none for the dataset either.
    expect(age[11]).toMatchObject({ nCurrent: 12, drifted: null });
    expect(age[11]!.value).toBeGreaterThan(1);
    expect(plans[11]).toMatchObject({ nCurrent: 12, drifted: null });
    expect(response.body.datasetDrift[11]).toMatchObject({ share: null, drifted: null });
    // An empty hour stays a gap.
    expect(age[10]).toMatchObject({ nCurrent: 0, value: null, drifted: null });
  });
});

describe('daily buckets (whole days from the daily rollups, the window’s edges from the hourly ones)', () => {
  it('give per-day drift and performance equal to the raw records of each day, and to the hours summed', async () => {
    const DAY = 24 * HOUR;
    const name = unique('daily');
    expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
    expect((await api.registerVersion(engineer.token, name, { features: [{ name: 'age', type: 'numeric' }] })).status).toBe(201);
    const referenceAges = Array.from({ length: 200 }, (_, i) => i % 100);
    expect((await m.reference(engineer.token, name, 1, { columns: { age: referenceAges } })).status).toBe(201);

    // Records on four UTC days: three whole days back and today up to now. The window starts at
    // 06:00 three days ago, so that day's 02:00 records fall outside it.
    const now = Date.now();
    const today = Math.floor(now / DAY) * DAY;
    const from = today - 3 * DAY + 6 * HOUR;
    const hours = [today - 3 * DAY + 2 * HOUR, today - 3 * DAY + 10 * HOUR, today - 2 * DAY + HOUR, today - 2 * DAY + 23 * HOUR, today - DAY + 5 * HOUR, Math.max(today, now - 60_000)];
    const records = hours.flatMap((t, h) =>
      Array.from({ length: 20 + h * 5 }, (_, i) => {
        const age = (i * (h + 3) + h * 17) % 100;
        return { id: `d-${h}-${i}`, timestamp: iso(t + (t === hours[5] ? 0 : i * 1000)), features: { age }, prediction: { label: age >= 50 ? '1' : '0', score: age / 100 } };
      }),
    );
    const sent = await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, records);
    expect(sent.status, sent.text).toBe(202);
    const truth = (r: (typeof records)[number]) => (r.features.age % 7 === 0 ? r.prediction.label !== '1' : r.prediction.label === '1');
    expect((await m.labels(engineer.token, { model: name }, records.map((r) => ({ id: r.id, label: truth(r) ? '1' : '0' })))).status).toBe(202);

    const query = (bucket: string) => `environment=production&version=1&bucket=${bucket}&from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(now))}`;
    const [daily, hourly, dailyPerf, hourlyPerf] = await Promise.all([
      driftSeries(viewer.token, name, query('1d')),
      driftSeries(viewer.token, name, query('1h')),
      performance(viewer.token, name, query('1d')),
      performance(viewer.token, name, query('1h')),
    ]);
    for (const response of [daily, hourly, dailyPerf, hourlyPerf]) expect(response.status, response.text).toBe(200);

    const days = [0, 1, 2, 3].map((d) => today - 3 * DAY + d * DAY);
    const inDay = (day: number) => records.filter((r) => {
      const t = Date.parse(r.timestamp);
      return t >= Math.max(day, Math.floor(from / HOUR) * HOUR) && t < day + DAY;
    });
    const sortedReference = [...referenceAges].sort((a, b) => a - b);
    const edges = quantileEdges(sortedReference);
    const referenceBins = countBinsSorted(edges, sortedReference);

    const age = daily.body.features.find((f: { name: string }) => f.name === 'age');
    const hourlyAge = hourly.body.features.find((f: { name: string }) => f.name === 'age');
    expect(age.points.map((p: { t: string }) => p.t)).toEqual(days.map(iso));
    const perf = dailyPerf.body.versions[0].points;
    days.forEach((day, d) => {
      const current = inDay(day);
      const bins = countBinsSorted(edges, current.map((r) => r.features.age).sort((a, b) => a - b));
      const point = age.points[d];
      expect(point.nCurrent, `day ${d}`).toBe(current.length);
      expect(point.psi).toBeCloseTo(psiFromCounts(referenceBins, bins), 12);
      expect(point.jensenShannon).toBeCloseTo(jensenShannonFromCounts(referenceBins, bins), 12);
      // The same day's hours add up to it.
      const hoursOfDay = hourlyAge.points.filter((p: { t: string }) => Date.parse(p.t) >= day && Date.parse(p.t) < day + DAY);
      expect(hoursOfDay.reduce((n: number, p: { nCurrent: number }) => n + p.nCurrent, 0)).toBe(current.length);

      const expected = metricsFromCounts(confusionCounts(current.map((r) => Number(truth(r))), current.map((r) => Number(r.prediction.label === '1'))));
      expect(perf[d]).toMatchObject({ count: current.length, labeled: current.length });
      expect(perf[d].accuracy).toBeCloseTo(expected.accuracy!, 12);
      expect(perf[d].f1).toBeCloseTo(expected.f1!, 12);
      const hourPoints = hourlyPerf.body.versions[0].points.filter((p: { t: string }) => Date.parse(p.t) >= day && Date.parse(p.t) < day + DAY);
      expect(hourPoints.reduce((n: number, p: { count: number | null }) => n + (p.count ?? 0), 0)).toBe(current.length);
    });
    // The 02:00 records three days ago are before the window: the first day counts only the 10:00 ones.
    expect(age.points[0].nCurrent).toBe(25);
  });
});
