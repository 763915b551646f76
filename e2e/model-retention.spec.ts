import { cliToken, expect, signIn, test } from './support/fixtures';
import { E2E } from './support/environment';

test('an engineer sets how long a model’s monitoring data is kept; shortening it asks first; a viewer only reads it', async ({ page, playwright }) => {
  const name = `retention-${Date.now().toString(36)}`;
  const api = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` } });
  expect((await api.post('/api/v1/models', { data: { name } })).status()).toBe(201);
  await api.dispose();

  await signIn(page, 'engineer@example.com');
  await page.goto(`/models/${name}`);
  const form = page.getByRole('form', { name: 'Monitoring retention' });
  const days = form.getByLabel('Keep monitoring data for (days)');
  await expect(days).toHaveValue('90');
  await expect(days).toHaveAccessibleDescription(/1–365 days; 90 by default/);

  // Out of bounds: refused next to the field, what was typed stays.
  await days.fill('400');
  await form.getByRole('button', { name: 'Save retention' }).click();
  // The browser's own range check stops it first; without it the server names the bound.
  await days.evaluate((input: HTMLInputElement) => input.removeAttribute('max'));
  await form.getByRole('button', { name: 'Save retention' }).click();
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await expect(days).toHaveAccessibleDescription(/at most 365/);
  await expect(days).toHaveValue('400');

  // Longer: saved straight away.
  await days.fill('120');
  await form.getByRole('button', { name: 'Save retention' }).click();
  await expect(form.getByRole('status')).toContainText(`kept for 120 days`);

  // Shorter deletes data: the dialog says so, Cancel keeps everything.
  await days.fill('30');
  await form.getByRole('button', { name: 'Save retention' }).click();
  const dialog = page.getByRole('dialog', { name: `Keep ${name}'s monitoring data for 30 days?` });
  await expect(dialog).toContainText('cannot be brought back');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(days).toHaveValue('120');
  await days.fill('30');
  await form.getByRole('button', { name: 'Save retention' }).click();
  await dialog.getByRole('button', { name: 'Delete data older than 30 days' }).click();
  await expect(form.getByRole('status')).toContainText('kept for 30 days');
  await page.reload();
  await expect(days).toHaveValue('30');

  await page.context().clearCookies();
  await signIn(page, 'viewer@example.com');
  await page.goto(`/models/${name}`);
  await expect(page.getByTestId('retention-readonly')).toContainText('kept for 30 days');
  await expect(page.getByRole('form', { name: 'Monitoring retention' })).toHaveCount(0);
});
