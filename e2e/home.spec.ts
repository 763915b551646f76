import type { APIRequestContext } from '@playwright/test';
import { cliToken, expect, signIn, test, uniqueEmail } from './support/fixtures';
import { E2E } from './support/environment';

async function liveVersion(api: APIRequestContext, model: string, environment: string) {
  return ((await (await api.get(`/api/v1/models/${model}/environments/${environment}`)).json()) as { liveVersion: number | null }).liveVersion;
}

test('the home page shows each person what waits for them, and reviewers see the count in the menu', async ({ browser, adminApi, playwright }) => {
  test.setTimeout(90_000);
  const name = `home-${Date.now().toString(36)}`;
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  await api.post('/api/v1/models', { data: { name } });
  await api.post(`/api/v1/models/${name}/versions`, { data: { metrics: { accuracy: 0.9 } } });
  for (const environment of ['development', 'staging']) {
    await api.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment } });
    await expect.poll(() => liveVersion(api, name, environment), { timeout: 20_000 }).toBe(1);
  }
  const requested = await api.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment: 'production' } });
  expect(requested.status()).toBe(201);
  await api.dispose();
  const label = `${name} v1 → production`;

  // The reviewer: the request waits for them, and the menu counts it.
  const reviewerContext = await browser.newContext();
  const reviewer = await reviewerContext.newPage();
  await signIn(reviewer, 'reviewer@example.com');
  await reviewer.goto('/');
  await expect(reviewer.getByTestId('awaiting-review').getByRole('link', { name: label })).toBeVisible();
  await expect(reviewer.getByTestId('went-live').getByRole('link', { name: `${name} v1 → staging` })).toBeVisible();
  const badge = reviewer.getByRole('navigation', { name: 'Main' }).getByTestId('pending-reviews');
  await expect(badge).toHaveText(/^[1-9]\d*$/);
  await expect(reviewer.getByRole('link', { name: /^Releases \(\d+ awaiting your review\)$/ })).toBeVisible();
  // The menu and the page count the same thing.
  await expect(reviewer.getByRole('heading', { name: /^Awaiting your review/ })).toHaveText(`Awaiting your review (${await badge.textContent()})`);
  const before = Number(await badge.textContent());
  await reviewer.getByTestId('awaiting-review').getByRole('link', { name: label }).click();
  await reviewer.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByTestId('release-status')).toHaveText(/approved|deploying|live/i, { timeout: 20_000 });
  // Client-side navigation keeps the layout, yet the menu's count follows the approval.
  await reviewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Models/ }).click();
  await expect(reviewer).toHaveURL(/\/models$/);
  if (before > 1) await expect(badge).toHaveText(String(before - 1));
  else await expect(badge).toHaveCount(0);
  await reviewer.goto('/');
  await expect(reviewer.getByTestId('awaiting-review').getByRole('link', { name: label })).toHaveCount(0);
  await reviewerContext.close();

  // The engineer: their request is theirs to follow, not theirs to review.
  const engineerContext = await browser.newContext();
  const engineer = await engineerContext.newPage();
  await signIn(engineer, 'engineer@example.com');
  await engineer.goto('/');
  await expect(engineer.getByTestId('awaiting-review')).toHaveCount(0);
  await expect(engineer.getByTestId('pending-reviews')).toHaveCount(0);
  await expect(engineer.getByTestId('my-releases').or(engineer.getByTestId('my-requests')).getByRole('link', { name: label }).first()).toBeVisible();
  await engineerContext.close();

  // A newcomer gets empty states that say what to do.
  const email = uniqueEmail('home-newcomer');
  expect((await adminApi.post('/api/v1/users', { data: { email, name: 'New Engineer', roles: ['engineer'], password: 'newcomer password 1' } })).status()).toBe(201);
  const newcomerContext = await browser.newContext();
  const newcomer = await newcomerContext.newPage();
  await signIn(newcomer, email, 'newcomer password 1');
  await newcomer.goto('/');
  await expect(newcomer.getByTestId('my-requests')).toContainText('You have no open requests. To promote a version, open it from Models');
  await expect(newcomer.getByTestId('my-releases')).toContainText('Releases you request show here once they are decided.');
  await newcomerContext.close();
});
