import type { Page } from '@playwright/test';
import { expect, signIn, test } from './support/fixtures';
import { expectNoSidewaysScroll } from './support/layout';

/**
 * The first release of the full list: the default "waiting for approval" list can be empty
 * while specs running in parallel approve the demo's pending requests.
 */
async function firstReleaseUrl(page: Page): Promise<string> {
  await page.goto('/releases?status=all');
  const href = await page.locator('a[href^="/releases/"]').first().getAttribute('href');
  expect(href).toBeTruthy();
  return href!;
}

test.describe('a phone-sized window (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('no page scrolls sideways', async ({ page }) => {
    await page.goto('/signin');
    await expectNoSidewaysScroll(page);
    await signIn(page, 'admin@example.com');
    const release = await firstReleaseUrl(page);
    for (const path of [
      '/',
      '/models',
      '/models/churn-predictor',
      '/models/churn-predictor/versions/4',
      '/models/churn-predictor/versions/4/try',
      '/models/churn-predictor/versions/4/deployment',
      '/releases',
      release,
      '/audit',
      '/admin',
      '/admin/environments',
      '/admin/webhooks',
      '/admin/prices',
      '/settings/tokens',
      '/docs/api',
    ]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expectNoSidewaysScroll(page);
    }
  });

  test('the navigation folds behind a Menu button that opens, navigates, and closes on Escape', async ({ page }) => {
    await signIn(page, 'admin@example.com');
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(menu).toHaveAttribute('aria-controls', 'app-sidebar');
    await expect(nav).toBeHidden();

    // Keyboard: the button opens the menu, a link in it navigates and closes it.
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Close menu' })).toHaveAttribute('aria-expanded', 'true');
    await expect(nav).toBeVisible();
    await nav.getByRole('link', { name: 'Models' }).click();
    await expect(page).toHaveURL(/\/models$/);
    await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
    await expect(nav).toBeHidden();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');

    await menu.click();
    await expect(nav.getByRole('link', { name: 'Releases' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();
  });
});

test.describe('a desktop window (1400 px)', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  test('the sidebar is always there, and wide tables keep their buttons inside the page', async ({ page }) => {
    await signIn(page, 'admin@example.com');
    await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    for (const path of ['/releases', '/audit', '/models', '/docs/api']) {
      await page.goto(path);
      await expectNoSidewaysScroll(page);
    }
  });
});
