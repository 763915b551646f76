import { randomBytes } from 'node:crypto';
import { expect, signIn, test } from './support/fixtures';

test('an admin deletes an unused environment after confirming, and archives and brings back another', async ({ page, adminApi }) => {
  const unused = `tmp-${randomBytes(3).toString('hex')}`;
  const kept = `kept-${randomBytes(3).toString('hex')}`;
  for (const name of [unused, kept]) expect((await adminApi.post('/api/v1/environments', { data: { name } })).status()).toBe(201);

  await signIn(page, 'admin@example.com');
  await page.goto('/admin/environments');
  const section = page.getByTestId(`environment-${unused}`);
  // Environments with release history (the demo's three) offer no Delete.
  await expect(page.getByTestId('environment-production').getByRole('button', { name: 'Delete…' })).toHaveCount(0);

  // Escape backs out of the confirmation without deleting.
  await section.getByRole('button', { name: 'Delete…' }).click();
  const confirm = section.getByRole('group', { name: `Confirm deleting ${unused}` });
  await expect(confirm).toContainText('This cannot be undone.');
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(section.getByRole('button', { name: 'Delete…' })).toBeFocused();

  await section.getByRole('button', { name: 'Delete…' }).click();
  await confirm.getByRole('button', { name: `Delete ${unused}` }).click();
  await expect(section).toHaveCount(0);
  const names = ((await (await adminApi.get('/api/v1/environments')).json()) as { items: { name: string; position: number }[] }).items;
  expect(names.map((e) => e.name)).not.toContain(unused);
  expect(names.map((e) => e.position)).toEqual(names.map((_, i) => i + 1));

  const keptSection = page.getByTestId(`environment-${kept}`);
  await keptSection.getByRole('button', { name: 'Archive' }).click();
  await expect(keptSection.getByRole('status')).toContainText(`Archived ${kept}.`);
  await expect(keptSection.getByRole('heading', { name: new RegExp(`${kept}.*archived`) })).toBeVisible();
  await page.goto('/models/churn-predictor');
  await expect(page.getByText(kept)).toHaveCount(0);

  await page.goto('/admin/environments');
  await keptSection.getByRole('button', { name: 'Unarchive' }).click();
  await expect(keptSection.getByRole('status')).toContainText(`${kept} is in use again.`);
});
