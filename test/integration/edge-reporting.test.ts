import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvironment } from '@/lib/server/environments/create-environment';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { createTestUser, rawQuery } from '../helpers';
import { monitoringApi as m } from '../monitoring-api';
import { api } from '../registry-api';

// Devices run a version from its edge bundle offline and report what they predicted through
// the ingestion API under the environment `edge`, naming the bundle's version: nothing is
// "live" on devices, so the version cannot be inferred.
let admin: Awaited<ReturnType<typeof createTestUser>>;
let engineer: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  admin = await createTestUser(['admin']);
  engineer = await createTestUser(['engineer']);
});

afterAll(async () => {
  await closeMonitoringPool();
});

describe('predictions reported by edge devices', () => {
  it('are stored under the edge environment with the version the bundle names, and refused without one', async () => {
    const name = `edge-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name, task: 'regression' })).status).toBe(201);
    const registered = await api.registerVersion(engineer.token, name, { features: [{ name: 'x', type: 'numeric' }] });
    expect(registered.status, registered.text).toBe(201);

    const records = Array.from({ length: 20 }, (_, i) => ({ id: `device-7:${i}`, features: { x: i / 4 }, prediction: i / 2, latencyMs: 1.5 }));
    const before = await m.predictions(engineer.token, { model: name, environment: 'edge', version: 1 }, records);
    expect(before.status, 'no edge environment yet').toBe(404);
    expect(before.body.detail).toMatch(/edge/);

    await createEnvironment(admin.ctx, { name: 'edge' } as never);
    const withoutVersion = await m.predictions(engineer.token, { model: name, environment: 'edge' }, records);
    expect(withoutVersion.status).toBeGreaterThanOrEqual(400);
    expect(withoutVersion.status).toBeLessThan(500);
    expect(JSON.stringify(withoutVersion.body)).toMatch(/send \\"version\\"|send "version"/);

    const reported = await m.predictions(engineer.token, { model: name, environment: 'edge', version: 1 }, records);
    expect(reported.status, reported.text).toBe(202);
    expect(reported.body).toEqual({ accepted: 20, duplicates: 0 });
    // A device that retries its upload stores nothing twice.
    const retried = await m.predictions(engineer.token, { model: name, environment: 'edge', version: 1 }, records);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({ accepted: 20, duplicates: 20 });

    const { rows } = await rawQuery(
      `SELECT count(*)::int AS n FROM monitoring_predictions p JOIN environments e ON e.id = p.environment_id JOIN models mo ON mo.id = p.model_id WHERE mo.name = '${name}' AND e.name = 'edge'`,
    );
    expect(rows[0]).toEqual({ n: 20 });
  });
});
