import { cliToken, expect, signIn, test } from './support/fixtures';

test.describe('unauthorized access', () => {
  test('a viewer sees "Not allowed" on the admin page and no admin controls', async ({ page }) => {
    await signIn(page, 'viewer@example.com');
    await page.goto('/admin');
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    await expect(page.getByRole('form', { name: 'Create user' })).toHaveCount(0);
  });

  test('a viewer gets 403 from the API for an admin action, even with a valid token', async ({ request }) => {
    const token = cliToken('viewer@example.com');
    const response = await request.post('/api/v1/users', {
      headers: { authorization: `Bearer ${token}` },
      data: { email: 'sneaky@e2e.example', name: 'Sneaky', roles: ['admin'] },
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden', status: 403 });
  });

  test('a viewer cannot run the admin server action by posting it directly', async ({ page }) => {
    // Load the admin page as an admin to learn the action's id, then replay the form as a viewer.
    await signIn(page, 'admin@example.com');
    await page.goto('/admin');
    const actionRequest = page.waitForRequest((r) => r.method() === 'POST' && Boolean(r.headers()['next-action']));
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('E-mail').fill('first-try@e2e.example');
    await form.getByLabel('Name').fill('x');
    await form.getByLabel('Initial password').fill('short');
    await form.getByRole('button', { name: 'Create user' }).click();
    const captured = await actionRequest;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);

    await signIn(page, 'viewer@example.com');
    await expect(page.getByTestId('current-user')).toHaveText('Vi Viewer');
    const replay = await page.request.post('/admin', {
      headers: { 'next-action': captured.headers()['next-action']!, 'content-type': captured.headers()['content-type']! },
      data: captured.postDataBuffer()!,
    });
    const text = await replay.text();
    expect(text).toContain('This needs the \\"users:manage\\" permission');
    const users = await page.request.get('/api/v1/me');
    expect((await users.json()).roles).toEqual(['viewer']);
  });
});
