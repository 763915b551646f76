import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { writeLinearModel } from '../lib/onnx/linear-model';
import { verifyBundle } from '../lib/server/edge/verify-bundle';
import { E2E } from './support/environment';
import { cliToken, expect, signIn, test } from './support/fixtures';

test('an engineer downloads a signed edge bundle from the version page, and it verifies with the published key', async ({ page, playwright }, testInfo) => {
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  const name = `edge-e2e-${randomBytes(3).toString('hex')}`;
  expect((await api.post('/api/v1/models', { data: { name } })).status()).toBe(201);
  expect((await api.post(`/api/v1/models/${name}/versions`, { data: { format: 'onnx', features: [{ name: 'tenure', type: 'numeric' }, { name: 'spend', type: 'numeric' }] } })).status()).toBe(201);
  const onnx = writeLinearModel({ kind: 'logistic', featureNames: ['tenure', 'spend'], weights: [0.3, -0.1], bias: 0 });
  const upload = await api.put(`/api/v1/models/${name}/versions/1/artifact`, { data: Buffer.from(onnx), headers: { 'content-type': 'application/octet-stream' } });
  expect(upload.status(), await upload.text()).toBe(200);

  await signIn(page, 'engineer@example.com');
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`/models/${name}/versions/1`);
    const link = page.getByRole('link', { name: 'Download edge bundle' });
    await link.scrollIntoViewIfNeeded();
    await expect(link).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`version-page-${width}.png`), fullPage: true });
  }

  await page.getByRole('link', { name: 'Download edge bundle' }).focus();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe(`${name}-v1-edge.tar.gz`);
  const bundle = await readFile(await download.path());
  const { publicKey } = await (await api.get('/api/v1/signing-key')).json();
  const result = verifyBundle(bundle, publicKey);
  expect(result).toMatchObject({ ok: true, manifest: { name, version: 1, inputs: [{ name: 'X', type: 'float32', shape: ['N', 2] }] } });
  await api.dispose();
});

test('a version whose artifact is only a URI offers no edge bundle', async ({ page }) => {
  await signIn(page, 'viewer@example.com');
  await page.goto('/models/ticket-router/versions/1');
  await expect(page.getByText('not stored here')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download edge bundle' })).toHaveCount(0);
});
