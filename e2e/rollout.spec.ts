import { createHash } from 'node:crypto';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { expect, signIn, test } from './support/fixtures';
import { apiAs, createServedEnvironment, useModelServer } from './support/model-server';

/**
 * Real deployments: an environment of its own on a model server of its own (specs run in
 * parallel, so the shared demo environments are left alone), a reviewer approving a replace
 * there, predictions answered by the new version, and a rollback from the model page.
 */
const modelServer = useModelServer();

async function predictVersion(endpoint: string, model: string): Promise<string | undefined> {
  const response = await fetch(`${endpoint}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] }),
  });
  return ((await response.json()) as { model_version?: string }).model_version;
}

test('a reviewer approves a replace on a real backend, predictions move to the new version, and a rollback restores the old one', async ({
  browser,
  playwright,
  adminApi,
}) => {
  test.setTimeout(120_000);
  const server = modelServer();
  const suffix = Date.now().toString(36);
  const environment = `live-${suffix}`;
  const name = `served-${suffix}`;
  const engineerApi = await apiAs(playwright, 'engineer@example.com');
  const reviewerApi = await apiAs(playwright, 'reviewer@example.com');

  expect(await createServedEnvironment(adminApi, server, { name: environment, requiredApprovals: 1 })).not.toContain(server.token);

  expect((await engineerApi.post('/api/v1/models', { data: { name, task: 'classification' } })).status()).toBe(201);
  for (const weight of [2, -2]) {
    const registered = await engineerApi.post(`/api/v1/models/${name}/versions`, { data: { format: 'onnx' } });
    expect(registered.status()).toBe(201);
    const { version } = await registered.json();
    const bytes = Buffer.from(writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [weight, 0.5, 0.5], bias: 0 }));
    const uploaded = await engineerApi.put(`/api/v1/models/${name}/versions/${version}/artifact`, {
      data: bytes,
      headers: { 'content-type': 'application/octet-stream', 'x-artifact-sha256': createHash('sha256').update(bytes).digest('hex') },
    });
    expect(uploaded.status(), await uploaded.text()).toBe(200);
  }

  // v1 goes live over the API first.
  const first = await (await engineerApi.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment } })).json();
  expect((await reviewerApi.post(`/api/v1/promotions/${first.id}/approve`, { data: {} })).status()).toBe(200);
  await expect.poll(async () => (await (await engineerApi.get(`/api/v1/models/${name}/environments/${environment}`)).json()).liveVersion, { timeout: 20_000 }).toBe(1);
  const state = await (await engineerApi.get(`/api/v1/models/${name}/environments/${environment}`)).json();
  expect(state.endpoint).toBe(`${server.url}/environments/${environment}`);
  expect(state.traffic).toEqual([{ version: 1, percent: 100, slot: 'primary' }]);
  expect(await predictVersion(state.endpoint, name)).toBe('1');

  // v2 is requested; the reviewer approves it in the browser and watches the rollout finish.
  const second = await (await engineerApi.post(`/api/v1/models/${name}/versions/2/promotions`, { data: { environment } })).json();
  const reviewerContext = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.78' } });
  const reviewer = await reviewerContext.newPage();
  await signIn(reviewer, 'reviewer@example.com');
  await reviewer.goto(`/releases/${second.id}`);
  await reviewer.getByRole('button', { name: 'Approve' }).click();
  const rollout = reviewer.getByTestId('rollout-progress');
  await expect(rollout.getByText('100 % of traffic on v2')).toBeVisible({ timeout: 20_000 });
  await expect(rollout.getByText('v1 unloaded after its in-flight requests finished')).toBeVisible({ timeout: 20_000 });
  await expect(reviewer.getByTestId('rollout-phase')).toHaveText('Done');
  await expect(reviewer.getByTestId('rollout-endpoint')).toHaveText(state.endpoint);
  expect(await predictVersion(state.endpoint, name)).toBe('2');

  // The engineer rolls back from the model page: no approval, v1 answers again within seconds.
  const engineer = await browser.newPage();
  await signIn(engineer, 'engineer@example.com');
  await engineer.goto(`/models/${name}`);
  const lane = engineer.getByTestId(`lane-${environment}`);
  await expect(lane.getByTestId('lane-live-version')).toHaveText('v2');
  await expect(lane.getByTestId('lane-endpoint')).toHaveText(`${state.endpoint}/v2/models/${name}/infer`);
  await expect(engineer.getByTestId('lane-development').getByTestId('lane-alias')).toBeVisible();
  await lane.getByRole('button', { name: `Roll back ${environment} to v1` }).click();
  await engineer.getByRole('dialog').getByRole('button', { name: 'Roll back to v1' }).click();
  await expect(lane.getByText(/traffic switches as soon as it is loaded/)).toBeVisible();
  await expect.poll(() => predictVersion(state.endpoint, name), { timeout: 10_000, intervals: [100] }).toBe('1');
  await expect(async () => {
    await engineer.reload();
    await expect(engineer.getByTestId(`lane-${environment}`).getByTestId('lane-live-version')).toHaveText('v1', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  await engineerApi.dispose();
  await reviewerApi.dispose();
  await reviewerContext.close();
});
