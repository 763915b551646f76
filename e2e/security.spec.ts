import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { E2E } from './support/environment';
import { DEMO_PASSWORD, expect, signIn, signInError, test, uniqueEmail } from './support/fixtures';

/**
 * Collects the page's CSP violations: console errors and `securitypolicyviolation` events, the
 * latter naming the script that caused it and the page it happened on.
 */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI} by ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} on ${location.pathname}`,
      );
    });
  });
  return violations;
}

/**
 * Waits until React has hydrated the element: the code of the client component that renders it
 * has run (server-rendered HTML is visible before that, so visibility proves nothing).
 */
async function expectHydrated(element: Locator) {
  await expect.poll(() => element.evaluate((node) => Object.keys(node).some((key) => key.startsWith('__reactFiber$')))).toBe(true);
}

/** The next-auth CSRF round trip an HTTP client makes before posting credentials. */
async function csrf(api: APIRequestContext): Promise<string> {
  return ((await (await api.get('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;
}

async function createUser(adminApi: APIRequestContext, password: string) {
  const email = uniqueEmail('sec');
  const created = await adminApi.post('/api/v1/users', { data: { email, name: 'Sec User', roles: ['engineer'], password } });
  expect(created.status()).toBe(201);
  return email;
}

test.describe('security headers', () => {
  for (const path of ['/signin', '/api/health', '/api/v1/me']) {
    test(`are on ${path}`, async ({ request }) => {
      const response = await request.get(path);
      const headers = response.headers();
      const csp = headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(headers['permissions-policy']).toContain('camera=()');
      // Plain http without a trusted proxy saying otherwise: no HSTS.
      expect(headers['strict-transport-security']).toBeUndefined();
    });
  }

  test('HSTS is sent when the trusted proxy reports https', async ({ request }) => {
    const response = await request.get('/signin', { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers()['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  test('the nonce changes on every response', async ({ request }) => {
    const nonce = async () => /'nonce-([^']+)'/.exec((await request.get('/signin')).headers()['content-security-policy'] ?? '')?.[1];
    expect(await nonce()).not.toBe(await nonce());
  });

  test('the main pages run without a CSP violation', async ({ page }) => {
    const violations = await watchCsp(page);
    await page.goto('/signin');
    await expect(page.getByRole('heading', { name: 'Sign in to ModelDeck' })).toBeVisible();
    await signIn(page, 'admin@example.com');
    for (const path of ['/models', '/releases', '/admin', '/settings', '/audit']) {
      await page.goto(path);
      await expect(page.locator('main h1').first()).toBeVisible();
    }
    // Pages whose client components share constants with the zod schemas: zod in the browser
    // would probe eval (see test/client-bundle.test.ts). Each is checked once its form hydrated.
    for (const [path, form] of [
      ['/models/churn-predictor', 'Monitoring retention'],
      ['/admin/environments', 'New environment'],
      ['/alerts/rules/new', 'New alert rule'],
    ] as const) {
      await page.goto(path);
      await expectHydrated(page.getByRole('form', { name: form }));
    }
    await page.goto('/models');
    await page.locator('main a[href^="/models/"]').first().click();
    await expect(page.locator('main h1').first()).toBeVisible();
    // A chart page (recharts renders inline styles) and a release page.
    await page.goto('/releases');
    const release = page.locator('main a[href^="/releases/"]').first();
    if (await release.count()) {
      await release.click();
      await expect(page.locator('main h1').first()).toBeVisible();
    }
    // Client-side navigation works, which needs the nonce'd scripts to have run.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    await expect(page).toHaveURL(/\/models$/);
    expect(violations).toEqual([]);
  });

  test('unknown addresses render the not-found page with nonce\'d scripts, so it works', async ({ page }) => {
    const violations = await watchCsp(page);
    await signIn(page, 'viewer@example.com');
    for (const path of ['/no-such-page', '/models/no-such-model']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole('heading', { name: /not found/i }).first(), path).toBeVisible();
      const nonce = /'nonce-([^']+)'/.exec(response?.headers()['content-security-policy'] ?? '')?.[1];
      // Every script the server sent carries this response's nonce (scripts those load later
      // need none: 'strict-dynamic' trusts them).
      const tags = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length, path).toBeGreaterThan(0);
      for (const tag of tags) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    // The page's scripts ran: its link navigates on the client.
    await page.goto('/no-such-page');
    await page.getByRole('link', { name: 'Back to ModelDeck' }).click();
    await expect(page).toHaveURL(/\/$/);
    expect(violations).toEqual([]);
  });
});

test.describe('sign-in limit', () => {
  test('counts wrong passwords sent as JSON, and refuses the right one as JSON once locked', async ({ playwright, adminApi }) => {
    const password = 'right password 123';
    const email = await createUser(adminApi, password);
    const api = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { 'x-forwarded-for': `192.0.2.${1 + Math.floor(Math.random() * 250)}` } });
    const post = async (pass: string) =>
      api.post('/api/auth/callback/credentials', { data: { email, password: pass, csrfToken: await csrf(api), json: 'true' } });
    for (let i = 0; i < 10; i++) {
      const response = await post(`wrong ${i}`);
      expect(new URL((await response.json()).url).searchParams.get('error')).toBe('CredentialsSignin');
    }
    const refused = await post(password);
    expect(refused.status()).toBe(429);
    expect(refused.headers()['content-type']).toBe('application/problem+json');
    const body = await refused.json();
    expect(body.code).toBe('too_many_requests');
    expect(new URL(body.url).searchParams.get('error')).toBe('RateLimited');
    expect((await api.get('/api/auth/session').then((r) => r.json())) ?? {}).not.toHaveProperty('user');
    await api.dispose();
  });

  test('a form with a decoy e-mail first is counted against the account it signs in to', async ({ page, playwright, adminApi }) => {
    const password = 'right password 123';
    const email = await createUser(adminApi, password);
    const api = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { 'x-forwarded-for': `192.0.2.${1 + Math.floor(Math.random() * 250)}` } });
    for (let i = 0; i < 10; i++) {
      const form = new URLSearchParams([['email', uniqueEmail('decoy')], ['email', email], ['password', `wrong ${i}`], ['csrfToken', await csrf(api)]]);
      await api.post('/api/auth/callback/credentials', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: form.toString(), maxRedirects: 0 });
    }
    await api.dispose();
    // The real form, from another address, now says why it refuses the right password.
    await signIn(page, email, password, { expectFailure: true });
    await expect(signInError(page)).toHaveText('Too many failed sign-in attempts. Wait 15 minutes and try again.');
  });
});

test.describe('redirects', () => {
  test('a callbackUrl that leads off-site lands on the home page after signing in', async ({ page }) => {
    await page.goto('/signin?callbackUrl=/%5Cevil.example/phish');
    await page.getByLabel('E-mail').fill('viewer@example.com');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
    expect(new URL(page.url()).origin).toBe(E2E.baseURL);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  test('sign-out keeps the browser on the host it used (127.0.0.1, not localhost)', async ({ page }) => {
    const origin = `http://127.0.0.1:${E2E.port}`;
    await page.goto(`${origin}/signin`);
    await page.getByLabel('E-mail').fill('viewer@example.com');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId('current-user')).toHaveText('Vi Viewer');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/signin');
    expect(new URL(page.url()).origin).toBe(origin);
  });
});

test.describe('sessions end on the server', () => {
  test('the session cookie saved before sign-out answers 401 afterwards', async ({ page, playwright }) => {
    await signIn(page, 'engineer@example.com');
    const saved = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const replay = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { cookie: saved } });
    expect((await replay.get('/api/v1/me')).status()).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect((await replay.get('/api/v1/me')).status()).toBe(401);
    await replay.dispose();
  });

  test('Settings: change password, then sign out everywhere ends this and every other session', async ({ page, browser, playwright, adminApi }) => {
    const password = 'first password 123';
    const email = await createUser(adminApi, password);
    const other = await browser.newPage();
    await signIn(other, email, password);
    await signIn(page, email, password);

    await page.goto('/settings');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill('not my password');
    await form.getByLabel('New password').fill('second password 456');
    await form.getByRole('button', { name: 'Change password' }).click();
    // Once, next to its field (linked for screen readers), not repeated in the form's summary.
    await expect(form.getByLabel('Current password')).toHaveAccessibleDescription('The current password is not right.');
    await expect(form.getByText('The current password is not right.')).toHaveCount(1);
    await form.getByLabel('Current password').fill(password);
    await form.getByLabel('New password').fill('second password 456');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(form.getByRole('status')).toHaveText('Password changed. 1 other session was signed out.');
    // The other browser's session ended; this one goes on.
    await other.goto('/models');
    await expect(other).toHaveURL(/\/signin/);
    await page.goto('/models');
    await expect(page).toHaveURL(/\/models$/);

    const saved = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await page.goto('/settings');
    const everywhere = page.getByRole('form', { name: 'Sign out everywhere' });
    await everywhere.getByLabel('Yes, end every session of mine, this one included').check();
    await everywhere.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(page).toHaveURL(/\/signin/);
    const replay = await playwright.request.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { cookie: saved } });
    expect((await replay.get('/api/v1/me')).status()).toBe(401);
    await replay.dispose();
    await signIn(page, email, 'second password 456');
    await other.close();
  });
});
