import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { E2E } from './support/environment';
import { cliToken, expect, signIn, test } from './support/fixtures';
import { expectNoSidewaysScroll } from './support/layout';

/**
 * A manager reads the charts: predictions and labels for the seeded demand-forecast (v3 live
 * in production) arrive through the API — the last 50 minutes with temperature_c shifted — and
 * show up on the overview and the model's Monitoring tab, whose charts export as CSV.
 */
const MODEL = 'demand-forecast';
const N = 200;

function gaussian(seed: number): () => number {
  let s = seed;
  const uniform = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

async function sendTraffic(api: APIRequestContext) {
  const normal = gaussian(7);
  const row = (shift: number) => ({
    store_id: `s${Math.floor(Math.abs(normal()) * 2) % 5}`,
    price: 10 + 3 * normal(),
    promo: normal() > 0.8 ? 'yes' : 'no',
    lag_7: 50 + 10 * normal(),
    temperature_c: 15 + 5 * normal() + shift,
    day_of_week: Math.abs(Math.round(normal() * 2)) % 7,
  });
  const reference = Array.from({ length: 1500 }, () => row(0));
  const columns: Record<string, (number | string)[]> = {};
  for (const key of Object.keys(reference[0]!)) columns[key] = reference.map((r) => r[key as keyof typeof r]);
  // With the prediction column, the prediction's distribution is binned like a feature's.
  columns.prediction = reference.map((r) => 2 * r.lag_7 - r.price);
  const uploaded = await api.post(`/api/v1/models/${MODEL}/versions/3/reference`, { data: { columns } });
  expect(uploaded.status(), await uploaded.text()).toBe(201);

  const run = randomBytes(3).toString('hex');
  const now = Date.now();
  const records = Array.from({ length: N }, (_, i) => {
    const features = row(i < N / 2 ? 12 : 0);
    return {
      id: `e2e-${run}-${i}`,
      timestamp: new Date(now - i * 30_000).toISOString(),
      features,
      prediction: 2 * features.lag_7 - features.price,
      latencyMs: 5 + Math.abs(normal()) * 10,
    };
  });
  const sent = await api.post('/api/v1/predictions', { data: { model: MODEL, environment: 'production', records } });
  expect(sent.status(), await sent.text()).toBe(202);
  const labels = records.map((r) => ({ id: r.id, label: r.prediction + normal() * 4 }));
  const labelled = await api.post('/api/v1/labels', { data: { model: MODEL, records: labels } });
  expect(labelled.status(), await labelled.text()).toBe(202);
}

test('a manager reads the overview and the Monitoring tab, exports a chart, and on a phone', async ({ page, playwright }) => {
  const engineer = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  await sendTraffic(engineer);
  await engineer.dispose();

  await signIn(page, 'manager@example.com');
  await page.goto('/monitoring');
  const row = page.getByTestId(`overview-${MODEL}-production`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(String(N));
  // The shifted feature is the worst, far past its threshold.
  await expect(row.getByRole('cell').nth(5)).toContainText('temperature_c');
  await expect(row.getByRole('cell').nth(5)).toContainText('drifted');
  await expect(row.getByRole('cell').nth(2)).toHaveText(/Degraded|Drifting/);
  await expect(row.locator('.sparkline svg').first()).toBeVisible();
  // Sorting by model name puts ticket-router (no data, not deployed) last.
  await page.getByRole('button', { name: 'Model' }).click();
  await expect(page.locator('.overview-table tbody tr').last()).toContainText('ticket-router');
  await expect(page.getByRole('columnheader', { name: /Model/ })).toHaveAttribute('aria-sort', 'ascending');

  await row.getByRole('link', { name: MODEL }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/monitoring\\?environment=production$`));
  await expect(page.getByRole('link', { name: 'Monitoring', exact: true }).last()).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('Environment')).toHaveValue('production');

  // The heatmap: one row per feature, drifted cells marked in the shifted feature's row.
  const heatmap = page.getByTestId('chart-drift');
  await expect(heatmap.getByTestId('heatmap-row-temperature_c')).toBeVisible();
  await expect(heatmap.getByTestId('heatmap-row-temperature_c').locator('.heatmap-cell.drifted')).not.toHaveCount(0);
  await expect(heatmap.getByTestId('heatmap-row-price')).toBeVisible();
  // Buckets with too few values for a verdict have their own legend entry, apart from no data.
  await expect(heatmap.getByLabel('Legend')).toContainText('too few values (under 30): no verdict');
  await heatmap.getByRole('button', { name: 'temperature_c' }).click();
  const histogram = page.getByTestId('chart-feature-distribution');
  await expect(histogram.getByRole('heading')).toHaveText('temperature_c: reference vs current');
  await expect(histogram.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('chart-prediction-distribution').locator('.recharts-bar-rectangle').first()).toBeVisible();
  // Line charts with data: performance (MAE, labels joined), latency, throughput, error rate
  // (a flat line at 0 % has no height, so the path is checked rather than its visibility).
  for (const id of ['performance', 'latency', 'throughput', 'errors']) {
    await expect(page.getByTestId(`chart-${id}`).locator('.recharts-line-curve').first()).toHaveAttribute('d', /^M[\d.]+,[\d.]+L/);
  }

  // The throughput chart's CSV: a row per hour of the last 24, this hour's predictions in it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-throughput').getByRole('link', { name: /CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${MODEL}-production-operations-.*\\.csv$`));
  const csv = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
  expect(csv[0]).toBe('bucket_start,version,predictions,throughput_per_minute,error_rate,latency_p50_ms,latency_p95_ms,latency_p99_ms');
  const v3 = csv.slice(1).filter((line) => line.split(',')[1] === '3');
  expect(v3.length).toBeGreaterThanOrEqual(24);
  expect(v3.reduce((sum, line) => sum + Number(line.split(',')[2]), 0)).toBeGreaterThanOrEqual(N);

  // The drift chart's CSV names every feature per bucket.
  const [driftDownload] = await Promise.all([page.waitForEvent('download'), heatmap.getByRole('link', { name: /CSV/ }).click()]);
  const driftCsv = readFileSync((await driftDownload.path())!, 'utf8');
  expect(driftCsv.split('\r\n')[0]).toBe('bucket_start,version,feature,type,method,value,threshold,drifted,n_current,n_null,psi,jensen_shannon,chi_square_p_value');
  expect(driftCsv).toMatch(/,3,temperature_c,numeric,psi,[0-9.]+,0\.2,true,/);

  // A phone: the overview turns into cards, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await expect(page.getByTestId('chart-drift')).toBeVisible();
  await page.goto('/monitoring');
  await expect(page.locator('.overview-table')).toBeHidden();
  await expect(page.locator('.overview-cards article').filter({ hasText: MODEL }).first()).toBeVisible();
  await expectNoSidewaysScroll(page);
});
