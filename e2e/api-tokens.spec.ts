import { expect, signIn, test } from './support/fixtures';

test('a user creates a token in the UI, uses it over REST, sees when it was last used, and revokes it', async ({ page, playwright }) => {
  await signIn(page, 'engineer@example.com');
  await page.getByRole('link', { name: 'API tokens' }).click();
  const name = `pipeline-${Date.now()}`;
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^mdk_/);

  const api = await playwright.request.newContext({ baseURL: page.url(), extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const me = await api.get('/api/v1/me');
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email: 'engineer@example.com', roles: ['engineer'] });

  // Shown once: after a reload only the prefix remains, and the use is recorded.
  await page.reload();
  const row = page.getByTestId(`token-${name}`);
  await expect(row).toContainText(token.slice(0, 12));
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(row.getByTestId('last-used')).not.toHaveText('never');

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page.getByRole('dialog', { name: `Revoke the token "${name}"?` }).getByRole('button', { name: 'Revoke token' }).click();
  await expect(row.getByText('revoked')).toBeVisible();
  const after = await api.get('/api/v1/me');
  expect(after.status()).toBe(401);
  await api.dispose();
});
