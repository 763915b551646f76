import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { startModelServer, waitUntilReady, type RunningModelServer } from '../test/integration/model-server-harness';
import { E2E } from './support/environment';
import { cliToken, expect, signIn, test } from './support/fixtures';

/**
 * Streaming through NATS JetStream (the broker at 127.0.0.1:4222, NATS_URL overrides): an admin
 * turns it on in the environment's backend form, a release carries the binding to a model server
 * of this spec's own, requests published to the stream are answered on the predictions subject,
 * and the model page's lane shows the consumer connected with its lag. Then the webhook backend's
 * fields in the same form.
 */
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
let server: RunningModelServer;

test.beforeAll(async () => {
  server = await startModelServer();
  await waitUntilReady(server);
});

test.afterAll(async () => {
  await server?.stop();
});

test('an admin turns streaming on; streamed requests are answered and the model page shows the consumer', async ({ page, playwright, adminApi }) => {
  test.setTimeout(120_000);
  const suffix = randomBytes(3).toString('hex');
  const environment = `stream-${suffix}`;
  const name = `streamed-${suffix}`;
  const stream = `E2E_STREAM_${suffix}`;
  const prefix = `e2e${suffix}`;
  expect((await adminApi.post('/api/v1/environments', { data: { name: environment } })).status()).toBe(201);
  const engineerApi = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });

  await signIn(page, 'admin@example.com');
  await page.goto('/admin/environments');
  const form = page.getByTestId(`backend-${environment}`);
  await form.getByLabel('Model server URL').fill(server.url);
  await form.getByLabel('Management token (MODEL_SERVER_TOKEN)').fill(server.token);
  await expect(form.getByLabel('NATS URL')).toHaveCount(0);
  await form.getByLabel('Also consume infer requests from a stream').check();
  await form.getByLabel('NATS URL').fill(NATS_URL);
  await form.getByLabel('Stream', { exact: true }).fill(stream);
  await form.getByLabel('Subject prefix').fill('not..valid');
  await form.getByRole('button', { name: 'Connect backend' }).click();
  await expect(form).toContainText('subjectPrefix must be dot-separated tokens');
  await form.getByLabel('Subject prefix').fill(prefix);
  await form.getByRole('button', { name: 'Connect backend' }).click();
  await expect(form.getByRole('status')).toContainText(`Saved the deployment backend of ${environment}.`);

  expect((await engineerApi.post('/api/v1/models', { data: { name, task: 'classification' } })).status()).toBe(201);
  expect((await engineerApi.post(`/api/v1/models/${name}/versions`, { data: { format: 'onnx' } })).status()).toBe(201);
  const bytes = Buffer.from(writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b'], weights: [1, -1], bias: 0 }));
  const uploaded = await engineerApi.put(`/api/v1/models/${name}/versions/1/artifact`, {
    data: bytes,
    headers: { 'content-type': 'application/octet-stream', 'x-artifact-sha256': createHash('sha256').update(bytes).digest('hex') },
  });
  expect(uploaded.status(), await uploaded.text()).toBe(200);
  expect((await engineerApi.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment } })).status()).toBe(201);
  await expect.poll(async () => (await (await engineerApi.get(`/api/v1/models/${name}/environments/${environment}`)).json()).liveVersion, { timeout: 30_000 }).toBe(1);

  const nc = await connect({ servers: NATS_URL });
  try {
    const predictions: string[] = [];
    const subscription = nc.subscribe(`${prefix}.${environment}.${name}.predictions`, { callback: (_, message) => predictions.push(message.json<{ id: string }>().id) });
    await page.goto(`/models/${name}`);
    const lane = page.getByTestId(`lane-${environment}`);
    await expect(lane.getByTestId('streaming-connection')).toHaveText('connected', { timeout: 20_000 });
    await expect(lane.getByTestId('streaming-lag')).toHaveText('0 pending · 0 awaiting ack');
    await expect(lane).toContainText(`${prefix}.${environment}.${name}.requests`);

    const js = nc.jetstream();
    for (const id of ['a', 'b', 'c']) {
      await js.publish(`${prefix}.${environment}.${name}.requests`, JSON.stringify({ id, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 2], data: [1, 2] }] }));
    }
    await expect.poll(() => [...predictions].sort(), { timeout: 20_000 }).toEqual(['a', 'b', 'c']);
    subscription.unsubscribe();

    for (const [width, height] of [
      [1400, 900],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await lane.scrollIntoViewIfNeeded();
      await lane.screenshot({ path: `test-results/streaming-lane-${width}.png` });
    }
  } finally {
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc.close();
    await engineerApi.dispose();
  }
});

test('an admin connects an environment to a webhook deployment backend', async ({ page, adminApi }) => {
  const environment = `hook-${randomBytes(3).toString('hex')}`;
  expect((await adminApi.post('/api/v1/environments', { data: { name: environment } })).status()).toBe(201);
  await signIn(page, 'admin@example.com');
  await page.goto('/admin/environments');
  const form = page.getByTestId(`backend-${environment}`);
  await form.getByLabel('Backend').selectOption({ label: 'Webhook (any platform)' });
  await expect(form.getByTestId('webhook-fields')).toBeVisible();
  await expect(form.getByTestId('streaming-fields')).toHaveCount(0);
  await form.getByLabel('Deployment URL').fill('https://ci.example.com/hooks/modeldeck');
  await form.getByLabel('Seconds to wait for the outcome').fill('600');
  await form.getByLabel('Signing secret (shared with the receiver)').fill(`hook-secret-${randomBytes(6).toString('hex')}`);
  await form.getByRole('button', { name: 'Connect backend' }).click();
  await expect(form.getByRole('status')).toContainText(`Saved the deployment backend of ${environment}.`);
  await expect(form.getByTestId('backend-summary')).toContainText('Webhook (any platform) (signing secret stored, encrypted)');
  await page.reload();
  await expect(form.getByLabel('Backend')).toHaveValue('webhook');
  await expect(form.getByLabel('Seconds to wait for the outcome')).toHaveValue('600');
});
