import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as driftRoute } from '@/app/api/v1/models/[name]/drift/route';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { numericDrift } from '@/lib/stats/drift';
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

const drift = (token: string, name: string, query: string) =>
  call(driftRoute, { path: `/api/v1/models/${name}/drift?${query}`, token, params: { name } });

describe('GET /api/v1/models/{name}/drift', () => {
  it('compares a window of records with the reference using lib/stats, per feature and for the prediction', async () => {
    const name = `drift-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name, task: 'regression' })).status).toBe(201);
    const features = [
      { name: 'age', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ];
    expect((await api.registerVersion(engineer.token, name, { features })).status).toBe(201);
    const referenceAges = Array.from({ length: 200 }, (_, i) => i % 100);
    const uploaded = await m.reference(engineer.token, name, 1, {
      columns: { age: referenceAges, plan: referenceAges.map((a) => (a < 50 ? 'free' : 'pro')), prediction: referenceAges.map((a) => a / 10) },
    });
    expect(uploaded.status, uploaded.text).toBe(201);

    const start = Date.now() - 3 * 3_600_000;
    const at = (i: number) => new Date(start + i * 1000).toISOString();
    // Shifted ages and only "pro": both features drift.
    const currentAges = Array.from({ length: 80 }, (_, i) => 60 + (i % 40));
    const sent = await m.predictions(
      engineer.token,
      { model: name, environment: 'production', version: 1 },
      currentAges.map((age, i) => ({ id: `d-${i}`, timestamp: at(i), features: { age, plan: 'pro' }, prediction: age / 10 })),
    );
    expect(sent.status, sent.text).toBe(202);

    const window = `environment=production&version=1&from=${encodeURIComponent(new Date(start).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
    const response = await drift(viewer.token, name, window);
    expect(response.status, response.text).toBe(200);
    const age = response.body.features.find((f: { name: string }) => f.name === 'age');
    const expected = numericDrift('age', referenceAges, currentAges);
    expect(age).toMatchObject({ type: 'numeric', method: 'ks', nReference: 200, nCurrent: 80, nNull: 0, drifted: true });
    expect(age.ks.statistic).toBeCloseTo(expected.ks!.statistic, 12);
    expect(age.wasserstein).toBeCloseTo(expected.wasserstein!, 12);
    expect(age.psi).toBeCloseTo(expected.psi!, 12);
    const plan = response.body.features.find((f: { name: string }) => f.name === 'plan');
    expect(plan).toMatchObject({ type: 'categorical', method: 'chi_square', nReference: 200, nCurrent: 80, drifted: true });
    expect(response.body.prediction).toMatchObject({ name: 'prediction', nCurrent: 80, drifted: true });
    expect(response.body.datasetDrift).toEqual({ share: 1, drifted: true });

    // The window is half-open and filters by timestamp: only the first 10 records.
    const first10 = await drift(viewer.token, name, `environment=production&version=1&from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(10))}`);
    expect(first10.body.features[0].nCurrent).toBe(10);

    // An empty window: counts of 0 and no statistics.
    const empty = await drift(viewer.token, name, 'environment=staging&version=1');
    expect(empty.status).toBe(200);
    expect(empty.body.features[0]).toMatchObject({ nCurrent: 0, nReference: 200, drifted: false });
    expect(empty.body.features[0].ks).toBeUndefined();
    expect(empty.body.features[0].psi).toBeUndefined();
    expect(empty.body.datasetDrift).toEqual({ share: 0, drifted: false });

    expect((await drift(viewer.token, name, 'environment=production')).status).toBe(404);
    expect((await drift(viewer.token, 'no-such-model', 'environment=production&version=1')).status).toBe(404);
    const backwards = await drift(viewer.token, name, `environment=production&version=1&from=${encodeURIComponent(at(10))}&to=${encodeURIComponent(at(0))}`);
    expect([backwards.status, Object.keys(backwards.body.errors)]).toEqual([422, ['from']]);
  });
});
