import type { APIRequestContext, Page } from '@playwright/test';
import { E2E } from './support/environment';
import { expect, signIn, signInError, test, withDatabase } from './support/fixtures';

// Identities of the test identity provider (e2e/support/oidc-provider.mjs), which
// start-server.mjs runs with OIDC_ROLE_MAP='ml-admins=admin;ml-eng=engineer,reviewer'
// and OIDC_DEFAULT_ROLES='' (no fallback role).
const SSO_ADMIN = { email: 'sso-admin@idp.example', name: 'Sasha Sso-Admin', sub: 'idp-1001' };
const SSO_ENG = { email: 'sso-eng@idp.example', name: 'Eno Sso-Engineer', sub: 'idp-1002' };
const SSO_NOBODY = { email: 'sso-nobody@idp.example' };

/** Signs in through the identity provider: ModelDeck's SSO button, then the IdP's login page. */
async function signInWithSso(page: Page, email: string, from = '/signin') {
  await page.goto(from);
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
  await page.waitForURL((url) => url.origin === E2E.oidcIssuer);
  await expect(page.getByRole('heading', { name: 'Test IdP' })).toBeVisible();
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === E2E.baseURL);
}

async function userByEmail(api: APIRequestContext, email: string) {
  const response = await api.get('/api/v1/users');
  expect(response.status()).toBe(200);
  const { items } = (await response.json()) as { items: { id: string; email: string; roles: string[]; sso: boolean }[] };
  return items.find((user) => user.email === email);
}

test.describe('single sign-on through the OIDC identity provider', () => {
  // The same identities sign in in several tests: one worker, in order, so two first
  // sign-ins of one identity never race each other.
  test.describe.configure({ mode: 'default' });

  test('the sign-in page offers the identity provider; an IdP admin lands signed in as admin', async ({ page }) => {
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin/);
    await expect(page.getByRole('button', { name: 'Sign in with Test IdP' })).toBeVisible();

    await signInWithSso(page, SSO_ADMIN.email, page.url());
    await expect(page).toHaveURL(/\/admin$/);
    const sidebar = page.getByRole('complementary');
    await expect(page.getByTestId('current-user')).toHaveText(SSO_ADMIN.name);
    await expect(page.getByTestId('current-user')).toHaveAttribute('title', SSO_ADMIN.email);
    await expect(sidebar.getByText('admin', { exact: true })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Admin' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Audit' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Admin' })).toBeVisible();

    // The session is ModelDeck's own: the API answers as that user.
    const me = await page.request.get('/api/v1/me');
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ email: SSO_ADMIN.email, roles: ['admin'] });
  });

  test('IdP groups map to several roles: ml-eng gets engineer and reviewer', async ({ page }) => {
    await signInWithSso(page, SSO_ENG.email);
    await expect(page).toHaveURL(`${E2E.baseURL}/`);
    await expect(page.getByRole('heading', { name: `Welcome, ${SSO_ENG.name}` })).toBeVisible();
    await expect(page.getByRole('complementary').getByText('engineer, reviewer', { exact: true })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Models' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Releases' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  });

  test('an identity in no mapped group is refused and no user is created', async ({ page, adminApi }) => {
    await signInWithSso(page, SSO_NOBODY.email);
    await expect(page).toHaveURL(/\/signin\?error=AccessDenied/);
    await expect(signInError(page)).toHaveText('Your account is not allowed to use ModelDeck. Ask an admin.');
    expect((await page.request.get('/api/v1/me')).status()).toBe(401);
    await page.goto('/models');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fmodels/);
    expect(await userByEmail(adminApi, SSO_NOBODY.email)).toBeUndefined();
  });

  test('the admin page lists the SSO user with an SSO badge and the roles from the IdP', async ({ page, browser }) => {
    const ssoPage = await browser.newPage();
    await signInWithSso(ssoPage, SSO_ENG.email);
    await expect(ssoPage.getByTestId('current-user')).toHaveText(SSO_ENG.name);
    await ssoPage.close();

    await signIn(page, 'admin@example.com');
    await page.goto('/admin');
    const row = page.getByTestId(`user-${SSO_ENG.email}`);
    await expect(row).toContainText(SSO_ENG.name);
    await expect(row.getByText('SSO', { exact: true })).toBeVisible();
    await expect(row.getByLabel('engineer', { exact: true })).toBeChecked();
    await expect(row.getByLabel('reviewer', { exact: true })).toBeChecked();
    await expect(row.getByLabel('admin', { exact: true })).not.toBeChecked();
    // Password users carry no badge.
    await expect(page.getByTestId('user-admin@example.com').getByText('SSO', { exact: true })).toHaveCount(0);
  });

  test('the first SSO sign-in is audited as user.create, later ones as auth.sign_in', async ({ browser, adminApi }) => {
    for (let i = 0; i < 2; i++) {
      // A fresh browser each time, so the IdP asks again (no IdP or ModelDeck session).
      const context = await browser.newContext();
      const ssoPage = await context.newPage();
      await signInWithSso(ssoPage, SSO_ADMIN.email);
      await expect(ssoPage.getByTestId('current-user')).toHaveText(SSO_ADMIN.name);
      await context.close();
    }

    const user = await userByEmail(adminApi, SSO_ADMIN.email);
    expect(user).toMatchObject({ sso: true, roles: ['admin'] });
    // Linked by the IdP's opaque subject, not only by e-mail.
    const subject = await withDatabase(async (client) => {
      const { rows } = await client.query<{ oidcSubject: string | null }>('SELECT "oidcSubject" FROM users WHERE email = $1', [SSO_ADMIN.email]);
      return rows[0]?.oidcSubject;
    });
    expect(subject).toBe(SSO_ADMIN.sub);

    const created = await adminApi.get('/api/v1/audit', { params: { action: 'user.create', actor: SSO_ADMIN.email } });
    expect(created.status()).toBe(200);
    const { items } = (await created.json()) as { items: Record<string, unknown>[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      actorId: user!.id,
      actorEmail: SSO_ADMIN.email,
      action: 'user.create',
      targetType: 'user',
      targetId: user!.id,
      after: { email: SSO_ADMIN.email, name: SSO_ADMIN.name, roles: ['admin'], source: 'oidc' },
    });

    const signIns = await adminApi.get('/api/v1/audit', { params: { action: 'auth.sign_in', targetId: user!.id } });
    const signInItems = ((await signIns.json()) as { items: Record<string, unknown>[] }).items;
    expect(signInItems.length).toBeGreaterThanOrEqual(1);
    expect(signInItems[0]).toMatchObject({ actorEmail: SSO_ADMIN.email, after: { method: 'oidc' } });
  });
});
