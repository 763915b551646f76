import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as environmentStateRoute } from '@/app/api/v1/models/[name]/environments/[environment]/route';
import { db } from '@/lib/db';
import { buildDemoModels } from '@/lib/demo/build-demo-models';
import { DEMO_DATASETS, generate } from '@/lib/demo/datasets';
import { predict } from '@/lib/demo/train';
import { resolveEnvironmentBackend } from '@/lib/server/deployments/environment-backend';
import { seedDemo } from '@/prisma/seed/demo';
import { seedDeploymentBackends, serveLiveReleases } from '@/prisma/seed/deployments';
import { call, createTestUser } from '../helpers';
import { startModelServer, waitUntilReady, type RunningModelServer } from './model-server-harness';

let server: RunningModelServer;
let artifactDir: string;
const demo = new Map(buildDemoModels().map((m) => [m.model, m]));

beforeAll(async () => {
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-seed-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  server = await startModelServer();
  await waitUntilReady(server);
});

afterAll(async () => {
  await server?.stop();
  await rm(artifactDir, { recursive: true, force: true });
});

describe('the demo seed on a real model server', () => {
  it('serves every live demo version with its artifact, answering what the trained model computes', async () => {
    await seedDemo();
    // What `npm start` does on a new embedded database once the model server listens.
    expect(await seedDeploymentBackends({ url: server.url, token: server.token })).toBe(3);
    const served = await serveLiveReleases();
    expect(served.failures).toEqual([]);

    // Every version of a trained model carries lib/demo's bytes; registry-only models are live nowhere.
    const versions = await db().modelVersion.findMany({ include: { model: true } });
    for (const version of versions) {
      const trained = demo.get(version.model.name)?.versions[version.version - 1];
      expect(version.artifactSha256, `${version.model.name} v${version.version}`).toBe(trained?.sha256 ?? null);
      expect(version.artifactKey !== null).toBe(trained !== undefined);
    }
    const live = await db().release.findMany({
      where: { status: 'live' },
      include: { model: true, version: true, environment: true },
    });
    expect(new Set(live.map((r) => r.model.name))).toEqual(new Set(['churn-predictor', 'fraud-detector', 'demand-forecast']));
    expect(served.loaded).toBe(live.length);

    const { token } = await createTestUser(['viewer']);
    for (const release of live) {
      const label = `${release.model.name} v${release.version.version} in ${release.environment.name}`;
      const trained = demo.get(release.model.name)!.versions[release.version.version - 1]!;

      const resolved = (await resolveEnvironmentBackend(release.environmentId))!;
      const status = await resolved.backend.status({ environment: release.environment.name, model: release.model.name });
      expect(status.loaded, label).toEqual([{ version: release.version.version, sha256: trained.sha256, status: 'ready' }]);
      expect(status.traffic.routes, label).toEqual([{ version: release.version.version, percent: 100 }]);

      // The endpoint the API gives answers with the trained model's own prediction.
      const state = await call(environmentStateRoute, {
        path: `/api/v1/models/${release.model.name}/environments/${release.environment.name}`,
        token,
        params: { name: release.model.name, environment: release.environment.name },
      });
      expect(state.status, state.text).toBe(200);
      const rows = generate(DEMO_DATASETS[release.model.name]!, 3, { seed: 99 }).rows;
      const response = await fetch(`${state.body.endpoint}/v2/models/${release.model.name}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [rows.length, rows[0]!.length], data: rows.flat() }] }),
      });
      const body = (await response.json()) as { model_version: string; outputs: { name: string; data: number[] }[] };
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body.model_version).toBe(String(release.version.version));
      const expected = rows.map((row) => predict(trained.model, row.map(Math.fround)));
      const answered = body.outputs[0]!.data;
      expected.forEach((value, i) => expect(answered[i], label).toBeCloseTo(value, release.model.task === 'regression' ? 2 : 5));
    }
  });
});
