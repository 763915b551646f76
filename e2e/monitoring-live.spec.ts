import { readFileSync } from 'node:fs';
import { expect, signIn, test } from './support/fixtures';
import { apiAs, createServedEnvironment, uploadChurnReference, useDemoTraffic, useModelServer } from './support/model-server';

/**
 * The Monitoring tab live, on real parts: churn-predictor v3 goes live in an environment of the
 * spec's own, deployed to a model server of its own that reports every prediction to the
 * dashboard; `demo:traffic --shift` drives it while the tab is open. Without a reload the tab's
 * refresh brings in the throughput and the shifted feature's drift; the manager overview names
 * that feature as the worst, and the drift chart's CSV carries it.
 */
const MODEL = 'churn-predictor';
const VERSION = 3;
/** The shifted feature (alert-journey.spec.ts shifts tenure_months) and one left alone. */
const SHIFTED = 'monthly_charges';
const UNSHIFTED = 'data_usage_gb';

const server = useModelServer({ reportAs: 'engineer@example.com' });
const traffic = useDemoTraffic(server);

test('with demo traffic shifting a feature, the open Monitoring tab fills in and shows its drift; the overview and the CSV agree', async ({
  page,
  playwright,
  adminApi,
}) => {
  test.setTimeout(170_000);
  const environment = `live-${Date.now().toString(36)}`;
  const engineerApi = await apiAs(playwright, 'engineer@example.com');

  await createServedEnvironment(adminApi, server(), { name: environment });

  // The reference drift is measured against: unshifted rows of the same generator.
  await uploadChurnReference(engineerApi, MODEL, VERSION);

  const live = await engineerApi.post(`/api/v1/models/${MODEL}/versions/${VERSION}/promotions`, { data: { environment } });
  expect(live.status(), await live.text()).toBe(201);
  await expect.poll(async () => (await (await engineerApi.get(`/api/v1/models/${MODEL}/environments/${environment}`)).json()).liveVersion, { timeout: 30_000 }).toBe(VERSION);
  await engineerApi.dispose();

  // The tab is open on the last hour before any prediction exists.
  await signIn(page, 'manager@example.com');
  await page.goto(`/models/${MODEL}/monitoring?environment=${environment}`);
  await expect(page.getByLabel('Environment')).toHaveValue(environment);
  await page.getByRole('button', { name: 'Last hour', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Last hour', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('monitoring-empty')).toBeVisible();
  await expect(page.getByText('refreshed every 30 s')).toBeVisible();
  const heatmap = page.getByTestId('chart-drift');

  // Shifted traffic through the real model server, which reports it to the dashboard.
  traffic.start({ environment, rate: 25, duration: '150s', shift: { feature: SHIFTED, factor: 3 } });

  // No reload: the tab's 30 s refresh brings the data in (up to three refreshes).
  await expect(page.getByTestId('monitoring-empty')).toBeHidden({ timeout: 95_000 });
  await expect(page.getByTestId('chart-throughput').locator('.recharts-line-curve').first()).toHaveAttribute('d', /^M[\d.]+,[\d.]+/);
  await expect(heatmap.getByTestId(`heatmap-row-${SHIFTED}`).locator('.heatmap-cell.drifted')).not.toHaveCount(0, { timeout: 35_000 });
  await expect(heatmap.getByTestId(`heatmap-row-${SHIFTED}`)).toContainText(/drifted in \d+ bucket/);
  await expect(heatmap.getByTestId(`heatmap-row-${UNSHIFTED}`).locator('.heatmap-cell:not(.gap)')).not.toHaveCount(0);
  await expect(heatmap.getByTestId(`heatmap-row-${UNSHIFTED}`).locator('.heatmap-cell.drifted')).toHaveCount(0);

  // The drift chart's CSV: the shifted feature's buckets drifted, the other's not.
  const [download] = await Promise.all([page.waitForEvent('download'), heatmap.getByRole('link', { name: /CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${MODEL}-${environment}-drift-.*\\.csv$`));
  const csv = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
  expect(csv[0]).toBe('bucket_start,version,feature,type,method,value,threshold,drifted,n_current,n_null,psi,jensen_shannon,chi_square_p_value');
  const measured = (feature: string) => csv.slice(1).map((line) => line.split(',')).filter((cells) => cells[2] === feature && cells[5] !== '');
  const shifted = measured(SHIFTED);
  expect(shifted.length).toBeGreaterThan(0);
  expect(shifted.every((cells) => cells[1] === String(VERSION) && cells[4] === 'psi')).toBe(true);
  expect(shifted.some((cells) => cells[7] === 'true' && Number(cells[5]) > Number(cells[6]) && Number(cells[8]) > 0)).toBe(true);
  const unshifted = measured(UNSHIFTED);
  expect(unshifted.length).toBeGreaterThan(0);
  expect(unshifted.every((cells) => cells[7] === 'false')).toBe(true);

  // The manager overview: this model in this environment is drifting, the shifted feature the worst.
  await page.goto('/monitoring');
  const row = page.getByTestId(`overview-${MODEL}-${environment}`);
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(2)).toHaveText(/Drifting/);
  await expect(row.getByRole('cell').nth(5)).toContainText(SHIFTED);
  await expect(row.getByRole('cell').nth(5)).toContainText('drifted');
});
