import { expect, signIn, test, uniqueEmail, withDatabase } from './support/fixtures';

test.describe('audit log', () => {
  test('an admin filters the log, verifies the chain and exports CSV', async ({ page, adminApi }) => {
    const email = uniqueEmail('audited');
    await adminApi.post('/api/v1/users', { data: { email, name: 'Audited Person', roles: ['viewer'] } });

    await signIn(page, 'admin@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Action').fill('user.create');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/action=user.create/);
    const table = page.getByRole('table', { name: 'Audit entries' });
    await expect(table.getByRole('row').filter({ hasText: 'user.create' }).first()).toBeVisible();
    await expect(table).not.toContainText('auth.sign_in');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(page.getByTestId('verify-result')).toContainText(/Chain intact: \d+ entries verified/);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const file = await download;
    const csv = await (await file.createReadStream()).toArray();
    const text = Buffer.concat(csv).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('seq,at,actorEmail,action,targetType,targetId,before,after,requestId,hash');
    expect(text).toContain(email);
    expect(text).not.toContain('auth.sign_in');
  });

  test('tampering with history is refused by the database and the chain still verifies', async ({ adminApi }) => {
    await withDatabase(async (client) => {
      await expect(client.query(`UPDATE audit_entries SET "actorEmail" = 'someone-else@example.com'`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM audit_entries`)).rejects.toThrow(/append-only/);
    });
    const verify = await adminApi.get('/api/v1/audit/verify');
    expect(verify.status()).toBe(200);
    expect(await verify.json()).toMatchObject({ valid: true });
  });

  test('the API reference lists the endpoints from the OpenAPI document', async ({ page, request }) => {
    const spec = await (await request.get('/api/v1/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    await signIn(page, 'viewer@example.com');
    await page.getByRole('link', { name: 'API reference' }).click();
    for (const path of Object.keys(spec.paths)) await expect(page.getByText(path, { exact: true }).first()).toBeVisible();
  });
});
