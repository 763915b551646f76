import { DEMO_PASSWORD, expect, signIn, signInError, test, uniqueEmail } from './support/fixtures';

const ROLE_HOMES = [
  { email: 'admin@example.com', name: 'Ada Admin', sees: ['Models', 'Audit', 'Admin'], hidden: [] },
  { email: 'engineer@example.com', name: 'Eli Engineer', sees: ['Models', 'Releases'], hidden: ['Admin', 'Audit'] },
  { email: 'reviewer@example.com', name: 'Rae Reviewer', sees: ['Releases', 'Audit'], hidden: ['Admin'] },
  { email: 'manager@example.com', name: 'Mo Manager', sees: ['Monitoring', 'Audit'], hidden: ['Admin'] },
  { email: 'viewer@example.com', name: 'Vi Viewer', sees: ['Models', 'Alerts'], hidden: ['Admin', 'Audit'] },
];

test.describe('sign-in', () => {
  for (const role of ROLE_HOMES) {
    test(`${role.email} signs in and sees the navigation of their role`, async ({ page }) => {
      await signIn(page, role.email);
      await expect(page.getByRole('heading', { name: `Welcome, ${role.name}` })).toBeVisible();
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const item of role.sees) await expect(nav.getByRole('link', { name: item })).toBeVisible();
      for (const item of role.hidden) await expect(nav.getByRole('link', { name: item })).toHaveCount(0);
    });
  }

  test('a wrong password and an unknown account get the same message', async ({ page }) => {
    await signIn(page, 'engineer@example.com', 'not-the-password', { expectFailure: true });
    await expect(signInError(page)).toHaveText('Invalid e-mail or password.');
    await signIn(page, uniqueEmail('nobody'), 'not-the-password', { expectFailure: true });
    await expect(signInError(page)).toHaveText('Invalid e-mail or password.');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('sign-out ends the session: protected pages redirect to sign-in again', async ({ page }) => {
    await signIn(page, 'viewer@example.com');
    await expect(page.getByTestId('current-user')).toHaveText('Vi Viewer');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto('/models');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fmodels/);
  });

  test('signed-out visitors are sent to sign-in and come back where they were going', async ({ page }) => {
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faudit/);
    await page.getByLabel('E-mail').fill('manager@example.com');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  });

  test('the API answers 401 problem+json without credentials', async ({ request }) => {
    const response = await request.get('/api/v1/me');
    expect(response.status()).toBe(401);
    expect(response.headers()['content-type']).toBe('application/problem+json');
    expect((await response.json()).code).toBe('unauthorized');
  });

  test('after 10 failed attempts the account is locked out for 15 minutes with 429', async ({ page, adminApi }) => {
    const email = uniqueEmail('locked');
    const created = await adminApi.post('/api/v1/users', { data: { email, name: 'Locked Out', roles: ['viewer'], password: 'right password 123' } });
    expect(created.status()).toBe(201);
    for (let i = 0; i < 10; i++) {
      await signIn(page, email, `wrong-${i}`, { expectFailure: true });
      await expect(signInError(page)).toHaveText('Invalid e-mail or password.');
    }
    // Even the right password is refused now, and the message says why.
    await signIn(page, email, 'right password 123', { expectFailure: true });
    await expect(signInError(page)).toHaveText('Too many failed sign-in attempts. Wait 15 minutes and try again.');
    await expect(page).toHaveURL(/\/signin/);
  });
});
