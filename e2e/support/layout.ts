import { expect, type Page } from '@playwright/test';

/**
 * No page may scroll sideways: wide content (tables, charts) scrolls or shrinks inside its own
 * box. Charts re-measure themselves a moment after the window changes size (recharts'
 * ResponsiveContainer), so the width is polled until it settles; an overflow that stays fails.
 */
export async function expectNoSidewaysScroll(page: Page) {
  let last = { scrollWidth: 0, clientWidth: 0 };
  await expect
    .poll(
      async () => {
        last = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
        return last.scrollWidth - last.clientWidth;
      },
      { message: `${page.url()} scrolls sideways`, timeout: 5_000 },
    )
    .toBeLessThanOrEqual(0);
}
