import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cliToken, expect, signIn, test } from './support/fixtures';
import { E2E } from './support/environment';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

test('an admin subscribes a URL to an event, the running server delivers it signed, and the delivery log shows it', async ({ page, playwright, adminApi }) => {
  const received: Received[] = [];
  const receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/modeldeck`;

  try {
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/webhooks');
    const form = page.getByRole('form', { name: 'Create webhook' });
    await form.getByLabel('URL').fill(url);
    await form.getByLabel('version.registered').check();
    await form.getByLabel('Description').fill('e2e receiver');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);

    const model = `hooked-${Date.now().toString(36)}`;
    const engineerApi = await playwright.request.newContext({
      baseURL: E2E.baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` },
    });
    await engineerApi.post('/api/v1/models', { data: { name: model } });
    expect((await engineerApi.post(`/api/v1/models/${model}/versions`, { data: { metrics: { accuracy: 0.5 } } })).status()).toBe(201);
    await engineerApi.dispose();

    // Other specs register versions too: wait for this model's event.
    await expect.poll(() => received.filter((r) => r.body.includes(model)).length, { timeout: 20_000 }).toBe(1);
    const delivery = received.find((r) => r.body.includes(model))!;
    const payload = JSON.parse(delivery.body);
    expect(payload).toMatchObject({ event: 'version.registered', data: { model, version: 1, registeredBy: 'engineer@example.com' } });
    expect(delivery.headers['x-modeldeck-event']).toBe('version.registered');
    const [t, v1] = String(delivery.headers['x-modeldeck-signature']).split(',').map((part) => part.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest('hex'));

    const endpoint = page.getByRole('region', { name: `Webhook ${url}` });
    await expect(async () => {
      await page.reload();
      await expect(endpoint.getByRole('row').filter({ hasText: 'version.registered' }).first()).toContainText('delivered', { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
  } finally {
    // Unsubscribe, so versions registered by other specs are not sent to a closed port.
    const { items } = (await (await adminApi.get('/api/v1/webhooks')).json()) as { items: { id: string; url: string }[] };
    for (const hook of items.filter((h) => h.url === url)) await adminApi.delete(`/api/v1/webhooks/${hook.id}`);
    await new Promise((resolve) => receiver.close(resolve));
  }
});
