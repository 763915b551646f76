import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { E2E } from './support/environment';
import { cliToken, expect, signIn, test } from './support/fixtures';

/**
 * The dark theme follows the system's colour scheme: the page turns dark, and the charts
 * follow it (their axis text is read from the theme's variables, not fixed to a light-only
 * grey), keeping AA contrast against the panel in both schemes. Predictions go to the
 * registry-only price-elasticity v1 in development, which no other spec reads.
 */
const MODEL = 'price-elasticity';

type Rgb = [number, number, number];
const parse = (css: string): Rgb => {
  const m = css.match(/rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)/);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};
const luminance = ([r, g, b]: Rgb) => {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
};
const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** The computed colours a reader sees: page background, body text, a chart's panel and its axis text. */
async function colours(page: Page) {
  const chart = page.getByTestId('chart-throughput');
  const tick = chart.locator('.recharts-cartesian-axis-tick-value').first();
  await expect(tick).toBeVisible();
  const body = await page.evaluate(() => {
    const style = getComputedStyle(document.body);
    return { background: style.backgroundColor, text: style.color };
  });
  const panel = await chart.evaluate((el) => getComputedStyle(el.closest('.panel') ?? el).backgroundColor);
  const axis = await tick.evaluate((el) => getComputedStyle(el).fill);
  return { background: parse(body.background), text: parse(body.text), panel: parse(panel), axis: parse(axis) };
}

test('with a dark colour scheme the page and the charts turn dark, readable in both schemes', async ({ page, playwright }) => {
  const engineer = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  const run = randomBytes(3).toString('hex');
  const now = Date.now();
  const records = Array.from({ length: 40 }, (_, i) => ({
    id: `dark-${run}-${i}`,
    timestamp: new Date(now - i * 60_000).toISOString(),
    features: { category: i % 2 ? 'toys' : 'garden', base_price: 10 + (i % 7) },
    prediction: -1.2 + (i % 5) / 10,
    latencyMs: 4 + (i % 3),
  }));
  const sent = await engineer.post('/api/v1/predictions', { data: { model: MODEL, environment: 'development', version: 1, records } });
  expect(sent.status(), await sent.text()).toBe(202);
  await engineer.dispose();

  await page.emulateMedia({ colorScheme: 'light' });
  await signIn(page, 'manager@example.com');
  await page.goto(`/models/${MODEL}/monitoring?environment=development`);
  const light = await colours(page);

  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await colours(page);

  expect(luminance(light.background), 'light page background').toBeGreaterThan(0.8);
  expect(luminance(dark.background), 'dark page background').toBeLessThan(0.05);
  expect(luminance(dark.panel), 'dark chart panel').toBeLessThan(0.05);
  expect(dark.axis, 'axis text follows the theme').not.toEqual(light.axis);
  for (const [scheme, c] of [['light', light], ['dark', dark]] as const) {
    expect(contrast(c.text, c.background), `${scheme}: body text on the page`).toBeGreaterThanOrEqual(4.5);
    expect(contrast(c.axis, c.panel), `${scheme}: chart axis text on its panel`).toBeGreaterThanOrEqual(4.5);
  }
});
