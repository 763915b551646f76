import { createHash } from 'node:crypto';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { writeFaultyModel } from '../test/integration/faulty-model';
import { expect, signIn, test } from './support/fixtures';
import { apiAs, createServedEnvironment, useModelServer } from './support/model-server';

/**
 * Canary rollouts on a model server of the spec's own, in an environment of its own: a
 * reviewer approves a canary, the release page shows its steps passing while requests are
 * answered by the new version at the step's share and then fully; a canary that fails on
 * inference aborts and rolls back by itself with the reason shown; rollback from the model page
 * restores the version the canary replaced.
 */
const modelServer = useModelServer();

/** Requests from a few concurrent callers, recording which version answered each. */
function sendTraffic(endpoint: string, model: string) {
  const samples: { at: number; status: number; version: string | null }[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      const response = await fetch(`${endpoint}/v2/models/${model}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: [1, 0, 0] }] }),
      }).catch(() => null);
      const body = response ? ((await response.json().catch(() => ({}))) as { model_version?: string }) : {};
      samples.push({ at: Date.now(), status: response?.status ?? 0, version: body.model_version ?? null });
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const loops = [loop(), loop(), loop()];
  return {
    samples,
    between: (from: number, to = Infinity) => samples.filter((s) => s.at >= from && s.at < to),
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

const share = (samples: { version: string | null }[], version: string) => samples.filter((s) => s.version === version).length / Math.max(1, samples.length);

test('a reviewer approves a canary that moves traffic step by step; a bad canary aborts by itself; rollback restores the previous version', async ({
  browser,
  playwright,
  adminApi,
}) => {
  test.setTimeout(120_000);
  const server = modelServer();
  const suffix = Date.now().toString(36);
  const environment = `canary-${suffix}`;
  const name = `canaried-${suffix}`;
  const engineerApi = await apiAs(playwright, 'engineer@example.com');
  const reviewerApi = await apiAs(playwright, 'reviewer@example.com');

  await createServedEnvironment(adminApi, server, { name: environment, requiredApprovals: 1 }, { canary: { minRequests: 10, maxErrorRateIncrease: 1, maxLatencyRatio: 4 } });

  expect((await engineerApi.post('/api/v1/models', { data: { name, task: 'classification' } })).status()).toBe(201);
  const artifacts = [
    writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [2, 0.5, 0.5], bias: 0 }),
    writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [-2, 0.5, 0.5], bias: 0 }),
    // Loads and warms up, then fails on every real request: the bad canary.
    writeFaultyModel([2, 0.5, 0.5]),
  ];
  for (const artifact of artifacts) {
    const registered = await engineerApi.post(`/api/v1/models/${name}/versions`, { data: { format: 'onnx' } });
    expect(registered.status()).toBe(201);
    const { version } = await registered.json();
    const bytes = Buffer.from(artifact);
    const uploaded = await engineerApi.put(`/api/v1/models/${name}/versions/${version}/artifact`, {
      data: bytes,
      headers: { 'content-type': 'application/octet-stream', 'x-artifact-sha256': createHash('sha256').update(bytes).digest('hex') },
    });
    expect(uploaded.status(), await uploaded.text()).toBe(200);
  }

  const stateOf = async () => (await engineerApi.get(`/api/v1/models/${name}/environments/${environment}`)).json();
  const first = await (await engineerApi.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment } })).json();
  expect((await reviewerApi.post(`/api/v1/promotions/${first.id}/approve`, { data: {} })).status()).toBe(200);
  await expect.poll(async () => (await stateOf()).liveVersion, { timeout: 20_000 }).toBe(1);
  const { endpoint } = await stateOf();
  const traffic = sendTraffic(endpoint, name);
  const engineer = await browser.newPage();
  await signIn(engineer, 'engineer@example.com');

  try {
    // The engineer asks for a canary of v2; the reviewer approves it in the browser and watches.
    const requested = await engineerApi.post(`/api/v1/models/${name}/versions/2/promotions`, {
      data: { environment, strategy: { type: 'canary', steps: [25, 60, 100], intervalSeconds: 4 } },
    });
    expect(requested.status(), await requested.text()).toBe(201);
    const canary = await requested.json();
    const reviewerContext = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.91' } });
    const reviewer = await reviewerContext.newPage();
    await signIn(reviewer, 'reviewer@example.com');
    await reviewer.goto(`/releases/${canary.id}`);
    await reviewer.getByRole('button', { name: 'Approve' }).click();

    const step1 = reviewer.getByTestId('canary-step-1');
    await expect(step1).toContainText('v2 25% · v1 75%', { timeout: 20_000 });
    await expect.poll(async () => (await stateOf()).traffic, { timeout: 10_000 }).toEqual([
      { version: 1, percent: 75, slot: 'primary' },
      { version: 2, percent: 25, slot: 'canary' },
    ]);
    // The model page's lane follows the split without a reload.
    await engineer.goto(`/models/${name}`);
    const laneTraffic = engineer.getByTestId(`lane-${environment}`).getByTestId('lane-traffic');
    await expect(laneTraffic).toContainText('v1 75% · v2 25%');
    await expect(laneTraffic).toContainText('v1 40% · v2 60%', { timeout: 15_000 });
    await expect(step1.getByTestId('canary-step-outcome')).toHaveText('passed', { timeout: 20_000 });
    await expect(step1.getByTestId('canary-analysis')).toContainText('error rate 0.0 % vs primary 0.0 %');
    await expect(reviewer.getByTestId('canary-step-2')).toContainText('v2 60% · v1 40%');
    await expect(reviewer.getByTestId('canary-step-2').getByTestId('canary-step-outcome')).toHaveText('passed', { timeout: 20_000 });
    await expect(reviewer.getByTestId('rollout-phase')).toHaveText('Done', { timeout: 20_000 });

    // What the callers saw: about a quarter from v2 during step 1, then everything.
    const progress = (await (await engineerApi.get(`/api/v1/promotions/${canary.id}`)).json()).rollout.canary;
    const [s1, s2] = progress.steps as { startedAt: string }[];
    const duringStep1 = traffic.between(Date.parse(s1!.startedAt) + 300, Date.parse(s2!.startedAt));
    expect(duringStep1.length).toBeGreaterThan(50);
    expect(share(duringStep1, '2')).toBeGreaterThan(0.1);
    expect(share(duringStep1, '2')).toBeLessThan(0.4);
    const liveFrom = Date.now();
    await expect.poll(() => traffic.between(liveFrom).length, { timeout: 10_000 }).toBeGreaterThan(30);
    expect(share(traffic.between(liveFrom), '2')).toBe(1);
    expect(traffic.samples.filter((s) => s.status !== 200)).toEqual([]);

    // The bad canary (v3) fails on every request: the analysis aborts it and v2 serves alone again.
    const bad = await (
      await engineerApi.post(`/api/v1/models/${name}/versions/3/promotions`, { data: { environment, strategy: { type: 'canary', steps: [50, 100], intervalSeconds: 3 } } })
    ).json();
    expect((await reviewerApi.post(`/api/v1/promotions/${bad.id}/approve`, { data: {} })).status()).toBe(200);
    await reviewer.goto(`/releases/${bad.id}`);
    await expect(reviewer.getByTestId('release-status-reason')).toContainText(/Canary analysis failed over \d+ s: error rate 100\.0 % vs primary 0\.0 %/, {
      timeout: 30_000,
    });
    await expect(reviewer.getByTestId('canary-step-1').getByTestId('canary-step-outcome')).toHaveText('failed');
    await expect(reviewer.getByTestId('rollout-phase')).toHaveText('Ended: all traffic on the primary', { timeout: 10_000 });
    const afterAbort = Date.now();
    await expect.poll(() => traffic.between(afterAbort).length, { timeout: 10_000 }).toBeGreaterThan(30);
    expect(traffic.between(afterAbort).every((s) => s.status === 200 && s.version === '2')).toBe(true);
    await reviewerContext.close();
  } finally {
    await traffic.stop();
  }

  // The engineer rolls back from the model page: v1, which the canary replaced, serves again.
  await engineer.goto(`/models/${name}`);
  const lane = engineer.getByTestId(`lane-${environment}`);
  await expect(lane.getByTestId('lane-live-version')).toHaveText('v2');
  await expect(lane.getByTestId('lane-traffic')).toContainText('v2 100%');
  await lane.getByRole('button', { name: `Roll back ${environment} to v1` }).click();
  await engineer.getByRole('dialog').getByRole('button', { name: 'Roll back to v1' }).click();
  await expect.poll(async () => (await stateOf()).liveVersion, { timeout: 20_000 }).toBe(1);
  const restored = await fetch(`${endpoint}/v2/models/${name}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: [1, 0, 0] }] }),
  });
  expect(((await restored.json()) as { model_version?: string }).model_version).toBe('1');

  await engineerApi.dispose();
  await reviewerApi.dispose();
});
