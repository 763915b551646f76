import type { APIRequestContext } from '@playwright/test';
import { cliToken, expect, signIn, test } from './support/fixtures';
import { E2E } from './support/environment';

async function liveVersion(api: APIRequestContext, model: string, environment: string) {
  return ((await (await api.get(`/api/v1/models/${model}/environments/${environment}`)).json()) as { liveVersion: number | null }).liveVersion;
}

test('rollback and archive ask first, name what happens, and are offered only when they can succeed', async ({ page, playwright }) => {
  test.setTimeout(90_000);
  const name = `confirm-${Date.now().toString(36)}`;
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  await api.post('/api/v1/models', { data: { name } });
  for (const accuracy of [0.8, 0.82, 0.83]) await api.post(`/api/v1/models/${name}/versions`, { data: { metrics: { accuracy } } });
  await api.post(`/api/v1/models/${name}/versions/1/promotions`, { data: { environment: 'development' } });
  await expect.poll(() => liveVersion(api, name, 'development'), { timeout: 20_000 }).toBe(1);

  await signIn(page, 'engineer@example.com');
  await page.goto(`/models/${name}`);
  const lane = page.getByTestId('lane-development');
  // v1 is the first version live there: nothing to roll back to, so no button.
  await expect(lane.getByTestId('lane-live-version')).toHaveText('v1');
  await expect(lane.getByRole('button', { name: /Roll back/ })).toHaveCount(0);
  // v1 is live in development: the promote form no longer offers development for it.
  const promoteV1 = page.getByRole('form', { name: 'Promote v1' });
  // Other specs add environments of their own in parallel: check these three, not the whole list.
  const targets = promoteV1.getByLabel('Environment').locator('option');
  await expect(targets).toContainText(['staging', 'production']);
  await expect(targets.filter({ hasText: /^development$/ })).toHaveCount(0);

  await api.post(`/api/v1/models/${name}/versions/2/promotions`, { data: { environment: 'development' } });
  await expect.poll(() => liveVersion(api, name, 'development'), { timeout: 20_000 }).toBe(2);
  await page.reload();

  // Escape closes the dialog without acting, and focus returns to the button.
  const rollback = lane.getByRole('button', { name: 'Roll back development to v1' });
  await rollback.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Roll back ${name} in development?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Development will serve v1 again');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(rollback).toBeFocused();
  // Cancel does nothing either.
  await rollback.click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(await liveVersion(api, name, 'development')).toBe(2);

  await rollback.click();
  await dialog.getByRole('button', { name: 'Roll back to v1' }).click();
  await expect(lane.getByTestId('lane-live-version')).toHaveText('v1');
  expect(await liveVersion(api, name, 'development')).toBe(1);

  // v1 is live again: archiving it is not offered, and the page says why.
  await page.goto(`/models/${name}/versions/1`);
  await expect(page.getByRole('button', { name: 'Archive version' })).toHaveCount(0);
  await expect(page.getByTestId('archive-unavailable')).toContainText('Live in development');

  // v3 was never released: archiving asks first and names the consequence.
  await page.goto(`/models/${name}/versions/3`);
  await page.getByRole('button', { name: 'Archive version' }).click();
  const archive = page.getByRole('dialog', { name: `Archive ${name} v3?` });
  await expect(archive).toContainText('v3 will be archived: it can never be promoted again');
  await archive.getByRole('button', { name: 'Archive v3' }).click();
  await expect(page.getByTestId('version-status')).toHaveText('archived');
  await api.dispose();
});

test('deleting a webhook asks first', async ({ page, adminApi }) => {
  const url = `https://hooks.example.com/confirm-${Date.now().toString(36)}`;
  expect((await adminApi.post('/api/v1/webhooks', { data: { url, events: ['release.failed'] } })).status()).toBe(201);
  await signIn(page, 'admin@example.com');
  await page.goto('/admin/webhooks');
  const endpoint = page.getByRole('region', { name: `Webhook ${url}` });
  await endpoint.getByRole('button', { name: `Delete webhook ${url}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this webhook?' });
  await expect(dialog).toContainText(`${url} will receive no more events`);
  await page.keyboard.press('Escape');
  await expect(endpoint).toBeVisible();
  await endpoint.getByRole('button', { name: `Delete webhook ${url}` }).click();
  await dialog.getByRole('button', { name: 'Delete webhook' }).click();
  await expect(endpoint).toHaveCount(0);
});

test('deleting a channel asks first from the keyboard, and says so when someone deleted it meanwhile', async ({ page, adminApi }) => {
  const suffix = Date.now().toString(36);
  const create = async (name: string) => {
    const created = await adminApi.post('/api/v1/channels', { data: { kind: 'webhook', name, target: `https://hooks.example.com/${name}` } });
    expect(created.status(), await created.text()).toBe(201);
    return ((await created.json()) as { channel: { id: string } }).channel.id;
  };
  const [gone, kept] = [`gone-${suffix}`, `kept-${suffix}`];
  const goneId = await create(gone);
  await create(kept);
  await signIn(page, 'admin@example.com');
  await page.goto('/admin/channels');

  // Opened from the keyboard: focus on Cancel, the channel named; Escape backs out.
  const region = page.getByRole('region', { name: `Channel ${gone}` });
  const remove = region.getByRole('button', { name: `Delete channel ${gone}` });
  await remove.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete this channel?' });
  await expect(dialog).toContainText(`Rules that use ${gone} stop notifying it`);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(remove).toBeFocused();

  // Deleted elsewhere while the page was open: confirming says so instead of failing silently.
  expect((await adminApi.delete(`/api/v1/channels/${goneId}`)).status()).toBe(200);
  await remove.click();
  await dialog.getByRole('button', { name: 'Delete channel' }).click();
  await expect(region.getByRole('alert')).toHaveText(`Channel ${goneId} not found.`);
  await expect(remove).toBeEnabled();

  const keptRegion = page.getByRole('region', { name: `Channel ${kept}` });
  await keptRegion.getByRole('button', { name: `Delete channel ${kept}` }).click();
  await page.getByRole('dialog', { name: 'Delete this channel?' }).getByRole('button', { name: 'Delete channel' }).click();
  await expect(keptRegion).toHaveCount(0);
});
