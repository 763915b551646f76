import { expect, signIn, test, uniqueEmail } from './support/fixtures';

test.describe('admin manages users', () => {
  test('admin creates a user with a temporary password, who then signs in with that role', async ({ page, browser }) => {
    const email = uniqueEmail('new-engineer');
    await signIn(page, 'admin@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('E-mail').fill(email);
    await form.getByLabel('Name').fill('Nia Newcomer');
    await form.getByLabel('viewer', { exact: true }).uncheck();
    await form.getByLabel('engineer', { exact: true }).check();
    await form.getByRole('button', { name: 'Create user' }).click();
    await expect(form.getByRole('status').first()).toContainText(`Created ${email}.`);
    const password = (await page.getByTestId('temporary-password').textContent())!.trim();
    await expect(page.getByTestId(`user-${email}`)).toContainText('Nia Newcomer');

    const newcomer = await browser.newPage();
    await signIn(newcomer, email, password);
    await expect(newcomer.getByRole('heading', { name: 'Welcome, Nia Newcomer' })).toBeVisible();
    await expect(newcomer.getByRole('complementary').getByText('engineer', { exact: true })).toBeVisible();
    await newcomer.close();
  });

  test('deactivating a user ends their session at their next request; role changes apply at once', async ({ page, browser, adminApi }) => {
    const email = uniqueEmail('leaver');
    await adminApi.post('/api/v1/users', { data: { email, name: 'Lee Leaver', roles: ['viewer'], password: 'leaver password 1' } });
    const leaver = await browser.newPage();
    await signIn(leaver, email, 'leaver password 1');
    await expect(leaver.getByRole('heading', { name: 'Welcome, Lee Leaver' })).toBeVisible();
    await expect(leaver.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' })).toHaveCount(0);

    await signIn(page, 'admin@example.com');
    await page.goto('/admin');
    const row = page.getByTestId(`user-${email}`);
    await row.getByLabel('manager', { exact: true }).check();
    await row.getByRole('button', { name: 'Save roles' }).click();
    await expect(row).toContainText('Roles of');
    await leaver.reload();
    await expect(leaver.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' })).toBeVisible();

    await row.getByRole('button', { name: 'Deactivate' }).click();
    await expect(row.getByText('deactivated', { exact: true })).toBeVisible();
    await leaver.goto('/models');
    await expect(leaver).toHaveURL(/\/signin/);
    await leaver.close();
  });

  test('an admin cannot deactivate themself', async ({ page }) => {
    await signIn(page, 'admin@example.com');
    await page.goto('/admin');
    const row = page.getByTestId('user-admin@example.com');
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await expect(row.getByRole('alert')).toContainText('cannot remove your own admin role or deactivate yourself');
    await expect(row.getByText('active', { exact: true })).toBeVisible();
  });
});
