import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { verifyBundle } from '../lib/server/edge/verify-bundle';
import { startModelServer, waitUntilReady, type RunningModelServer } from '../test/integration/model-server-harness';
import { E2E } from './support/environment';
import { cliToken, expect, signIn, test } from './support/fixtures';
import { createServedEnvironment } from './support/model-server';

/**
 * The Try-it page runs a demo version in the browser from its edge bundle and sends the same
 * row to a live endpoint on a model server of this spec's own; the decision matrix shows
 * figures a load probe measured.
 */
const MODEL = 'churn-predictor';
const VERSION = 5;
const shots = process.env.E2E_SCREENSHOTS_DIR ?? path.join(tmpdir(), 'modeldeck-try-it-shots');
let server: RunningModelServer;

test.beforeAll(async () => {
  server = await startModelServer();
  await waitUntilReady(server);
});

test.afterAll(async () => {
  await server?.stop();
});

test('the edge bundle downloads and verifies, and the in-browser Try it gives the same prediction as the model server', async ({ page, playwright, adminApi }) => {
  test.setTimeout(120_000);
  const environment = `try-${Date.now().toString(36)}`;
  const engineerApi = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  await createServedEnvironment(adminApi, server, { name: environment });

  // The demo version's own artifact, loaded on this spec's model server.
  const artifact = Buffer.from(await (await engineerApi.get(`/api/v1/models/${MODEL}/versions/${VERSION}/artifact`)).body());
  const file = path.join(tmpdir(), `${environment}.onnx`);
  await writeFile(file, artifact);
  const manage = (url: string, json: unknown) =>
    fetch(`${server.url}/manage/environments/${environment}/models/${MODEL}${url}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
  expect((await manage(`/versions/${VERSION}`, { artifactUrl: pathToFileURL(file).href, sha256: createHash('sha256').update(artifact).digest('hex'), task: 'classification' })).status).toBe(200);
  expect((await manage('/traffic', { routes: [{ version: String(VERSION), percent: 100 }], shadow: null })).status).toBe(200);

  await signIn(page, 'engineer@example.com');
  await page.goto(`/models/${MODEL}/versions/${VERSION}`);
  await page.getByRole('link', { name: 'Try it' }).click();
  await expect(page.getByRole('heading', { name: `Try ${MODEL} v${VERSION}` })).toBeVisible();
  // The form follows the feature schema, prefilled from the held-out rows; the categorical feature is a select.
  await expect(page.getByLabel('tenure_months')).not.toHaveValue('');
  await expect(page.getByLabel('contract_type')).toHaveJSProperty('tagName', 'SELECT');

  // The edge bundle, downloaded from the page, verifies with the published key.
  await expect(page.getByTestId('variants-table')).toBeVisible({ timeout: 20_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('variants-table').getByRole('link', { name: 'Edge bundle' }).first().click()]);
  expect(download.suggestedFilename()).toBe(`${MODEL}-v${VERSION}-edge.tar.gz`);
  const { publicKey } = await (await engineerApi.get('/api/v1/signing-key')).json();
  expect(verifyBundle(await readFile(await download.path()), publicKey)).toMatchObject({ ok: true, manifest: { name: MODEL, version: VERSION } });

  await page.getByLabel('tenure_months').fill('3');
  await page.getByLabel('Also send to').selectOption(environment);
  await page.getByTestId('try-run').click();
  const result = page.getByTestId('try-result');
  await expect(result.getByTestId('agree-probability')).toContainText('agree', { timeout: 30_000 });
  await expect(result.getByTestId('agree-label')).toContainText('agree');
  const inBrowser = Number(await result.getByTestId('browser-probability').getAttribute('title'));
  const fromServer = Number(await result.getByTestId('endpoint-probability').getAttribute('title'));
  expect(inBrowser).toBeGreaterThan(0);
  expect(Math.abs(inBrowser - fromServer)).toBeLessThan(1e-6);
  await expect(result).toContainText(`answered by v${VERSION}`);
  await expect(result).toContainText("matched the signed manifest's sha256");

  // The float16 variant runs too, and stays within its stated tolerance.
  await page.getByLabel('Run in the browser').selectOption('float16');
  await page.getByTestId('try-run').click();
  await expect(result).toContainText('float16 model', { timeout: 30_000 });
  await expect(result.getByTestId('agree-probability')).toContainText('agree');
  await expect(page.getByTestId('variant-float16')).toContainText('B');

  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(shots, `try-it-${width}.png`), fullPage: true });
  }
  await engineerApi.dispose();
});

test('the decision matrix of a demo model shows figures a load probe measured, and exports them', async ({ page, adminApi }) => {
  test.setTimeout(120_000);
  const prices = await adminApi.put('/api/v1/settings/unit-prices', { data: { currency: 'EUR', cpuHour: 0.045, gbMonth: 0.023, perMillionRequests: 0.4 } });
  expect(prices.status(), await prices.text()).toBe(200);

  await signIn(page, 'engineer@example.com');
  await page.goto(`/models/${MODEL}/versions/${VERSION}`);
  await page.getByRole('link', { name: 'Deployment options' }).click();
  await expect(page.getByTestId('decision-matrix')).toBeVisible();
  await expect(page.getByTestId('option-edge')).toContainText('not measured');

  await page.getByLabel('Option to probe').selectOption('edge');
  await page.getByLabel('Start rate (req/s)').fill('50');
  await page.getByLabel('Step (req/s)').fill('50');
  await page.getByLabel('Maximum rate (req/s)').fill('150');
  await page.getByLabel('Seconds per step').fill('1');
  await page.getByTestId('start-probe').click();
  const probe = page.getByTestId('probe-edge');
  await expect(probe.getByTestId('probe-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(probe.getByTestId('probe-stop-reason')).toBeVisible();
  await expect(probe.locator('.recharts-line-curve')).toHaveCount(2);
  await expect(probe.getByText('Throughput (answers/s)')).toBeVisible();

  // The finished probe refreshes the matrix: edge is measured, batch is estimated from it.
  await expect(page.getByTestId('option-edge')).toContainText('measured', { timeout: 15_000 });
  await expect(page.getByTestId('option-edge')).not.toContainText('not measured');
  await expect(page.getByTestId('option-batch')).toContainText('estimated');
  await expect(page.getByTestId('option-edge')).toContainText('EUR');

  await page.getByLabel('Must work offline').check();
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByTestId('recommendation')).toContainText('Recommendation: Edge');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csv.suggestedFilename()).toBe(`${MODEL}-v${VERSION}-deployment-options.csv`);
  const csvText = await readFile(await csv.path(), 'utf8');
  expect(csvText).toMatch(/^edge,edge bundle,.*,measured,/m);
  const [md] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-markdown').click()]);
  expect(await readFile(await md.path(), 'utf8')).toContain(`# Deployment options: ${MODEL} v${VERSION}`);

  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(shots, `decision-matrix-${width}.png`), fullPage: true });
  }
});
