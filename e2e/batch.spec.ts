import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { writeLinearModel } from '../lib/onnx/linear-model';
import { E2E } from './support/environment';
import { cliToken, expect, signIn, test } from './support/fixtures';

const WEIGHTS = [0.4, -0.2, 0.9];
const BIAS = -0.1;
const ROWS = 400_000;

function csv(rows: number): Buffer {
  const lines = ['tenure,spend,tickets'];
  for (let i = 1; i <= rows; i++) lines.push(`${i % 13},${(i % 7) * 0.5},${i % 3}`);
  return Buffer.from(lines.join('\n') + '\n');
}

test('an engineer uploads a CSV on the version page, watches the progress bar move, and downloads the scored output', async ({ page, playwright }) => {
  test.setTimeout(180_000);
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  const name = `batch-e2e-${randomBytes(3).toString('hex')}`;
  expect((await api.post('/api/v1/models', { data: { name, task: 'classification' } })).status()).toBe(201);
  const features = ['tenure', 'spend', 'tickets'].map((feature) => ({ name: feature, type: 'numeric' }));
  expect((await api.post(`/api/v1/models/${name}/versions`, { data: { format: 'onnx', features } })).status()).toBe(201);
  const onnx = writeLinearModel({ kind: 'logistic', featureNames: ['tenure', 'spend', 'tickets'], weights: WEIGHTS, bias: BIAS });
  const upload = await api.put(`/api/v1/models/${name}/versions/1/artifact`, { data: Buffer.from(onnx), headers: { 'content-type': 'application/octet-stream' } });
  expect(upload.status(), await upload.text()).toBe(200);

  await signIn(page, 'engineer@example.com');
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/models/${name}/versions/1`);
  const section = page.getByTestId('batch-section');
  await expect(section.getByText('No batch jobs yet.')).toBeVisible();
  await page.screenshot({ path: `/tmp/batch-e2e-empty-1400.png`, fullPage: true });

  await section.getByLabel('Input file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: csv(ROWS) });
  await section.getByRole('button', { name: 'Upload and score' }).click();
  await expect(section.getByText('customers.csv uploaded; the job is queued.')).toBeVisible({ timeout: 60_000 });

  // The bar is polled every second: record the fractions it shows until the job is done.
  const job = section.getByTestId('batch-job').first();
  const bar = job.getByTestId('batch-job-progress');
  const seen = new Set<number>();
  let shotWhileRunning = false;
  await expect
    .poll(
      async () => {
        seen.add(Number(await bar.getAttribute('value')));
        if (!shotWhileRunning && (await job.getAttribute('data-status')) === 'running' && [...seen].some((v) => v > 0 && v < 1)) {
          shotWhileRunning = true;
          await page.screenshot({ path: `/tmp/batch-e2e-running-1400.png`, fullPage: true });
        }
        return job.getAttribute('data-status');
      },
      { timeout: 120_000, intervals: [200] },
    )
    .toBe('succeeded');
  seen.add(Number(await bar.getAttribute('value')));
  const partial = [...seen].filter((v) => v > 0 && v < 1);
  expect(partial.length, `fractions seen: ${[...seen].join(', ')}`).toBeGreaterThanOrEqual(1);
  expect(seen.has(1)).toBe(true);
  await expect(job.getByTestId('batch-job-rows')).toContainText(`${ROWS.toLocaleString('en-US')} / ${ROWS.toLocaleString('en-US')} rows`);
  await expect(job.getByTestId('batch-job-rows')).toContainText('rows/s');

  const [download] = await Promise.all([page.waitForEvent('download'), job.getByTestId('batch-job-download').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${name}-v1-[0-9a-f]{8}-output\\.csv$`));
  const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n');
  expect(lines[0]).toBe('tenure,spend,tickets,probability,label,error');
  expect(lines).toHaveLength(ROWS + 1);
  for (const i of [1, 2, 3, 1000, ROWS]) {
    const [tenure, spend, tickets, probability, label, error] = lines[i]!.split(',');
    const p = 1 / (1 + Math.exp(-(WEIGHTS[0]! * Number(tenure) + WEIGHTS[1]! * Number(spend) + WEIGHTS[2]! * Number(tickets) + BIAS)));
    expect(Number(probability)).toBeCloseTo(p, 5);
    expect(label).toBe(p >= 0.5 ? '1' : '0');
    expect(error).toBe('');
  }

  await page.screenshot({ path: `/tmp/batch-e2e-done-1400.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/batch-e2e-done-390.png`, fullPage: true });
  await api.dispose();
});

test('a bad file is refused on the page with the reason, and a viewer sees no upload form', async ({ page, playwright }) => {
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  const name = `batch-e2e-${randomBytes(3).toString('hex')}`;
  expect((await api.post('/api/v1/models', { data: { name } })).status()).toBe(201);
  expect((await api.post(`/api/v1/models/${name}/versions`, { data: { format: 'onnx', features: [{ name: 'a', type: 'numeric' }] } })).status()).toBe(201);
  const onnx = writeLinearModel({ kind: 'logistic', featureNames: ['a'], weights: [1], bias: 0 });
  expect((await api.put(`/api/v1/models/${name}/versions/1/artifact`, { data: Buffer.from(onnx), headers: { 'content-type': 'application/octet-stream' } })).status()).toBe(200);

  await signIn(page, 'engineer@example.com');
  await page.goto(`/models/${name}/versions/1`);
  const section = page.getByTestId('batch-section');
  await section.getByLabel('Input file').setInputFiles({ name: 'scores.csv', mimeType: 'text/csv', buffer: Buffer.from('a,a\n1,2\n') });
  await section.getByRole('button', { name: 'Upload and score' }).click();
  await expect(section.getByRole('alert')).toHaveText('The header row names "a" twice.');
  await expect(section.getByText('No batch jobs yet.')).toBeVisible();

  await page.context().clearCookies();
  await signIn(page, 'viewer@example.com');
  await page.goto(`/models/${name}/versions/1`);
  await expect(page.getByTestId('batch-section').getByText('Engineers can score files with this version here')).toBeVisible();
  await expect(page.getByLabel('Input file')).toHaveCount(0);
  await api.dispose();
});
