import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cliToken, expect, signIn, test, withDatabase } from './support/fixtures';
import { E2E } from './support/environment';

const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

test('an admin adds a webhook channel and sends a test; an engineer acknowledges an open alert in one click', async ({ page, browser, playwright }) => {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
  const channelName = `e2e-oncall-${Date.now().toString(36)}`;

  try {
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/channels');
    const form = page.getByRole('form', { name: 'Create alert channel' });
    await form.getByLabel('Name').fill(channelName);
    await form.getByLabel('Target').fill(url);
    await form.getByRole('button', { name: 'Create channel' }).click();
    const secret = (await page.getByTestId('channel-secret').textContent())!.trim();

    const channel = page.getByRole('region', { name: `Channel ${channelName}` });
    await channel.getByRole('button', { name: `Send a test message to ${channelName}` }).click();
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    const [t, v1] = String(received[0]!.headers['x-modeldeck-signature']).split(',').map((part) => part.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${received[0]!.body}`).digest('hex'));
    await expect(async () => {
      await page.reload();
      await expect(channel.getByRole('row').filter({ hasText: 'channel.test' })).toContainText('delivered', { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    if (SCREENSHOTS) {
      await page.screenshot({ path: `${SCREENSHOTS}/channels-1400.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SCREENSHOTS}/channels-390.png`, fullPage: true });
    }

    // A rule through the API; its alert is written straight into the database, standing in for
    // monitoring data: the seed sends no predictions, so the evaluator measures nothing and
    // leaves the alert as written.
    const engineerApi = await playwright.request.newContext({
      baseURL: E2E.baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${cliToken('engineer@example.com')}` },
    });
    const ruleName = `Churn error rate ${Date.now().toString(36)}`;
    const created = await engineerApi.post('/api/v1/alert-rules', {
      data: { name: ruleName, model: 'churn-predictor', environment: 'production', signal: { type: 'error_rate' }, comparator: '>', threshold: 0.05, windowMinutes: 10, minSamples: 100, severity: 'critical' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const rule = await created.json();
    await engineerApi.dispose();
    const alertId = await withDatabase(async (client) => {
      const { rows } = await client.query(
        `INSERT INTO alerts (id, "ruleId", status, severity, "modelId", "environmentId", value, threshold, samples)
         SELECT gen_random_uuid(), id, 'firing', severity, "modelId", "environmentId", 0.12, threshold, 640 FROM alert_rules WHERE id = $1 RETURNING id`,
        [rule.id],
      );
      await client.query(`INSERT INTO alert_events (id, "alertId", kind, detail) VALUES (gen_random_uuid(), $1, 'fired', '{"value":0.12,"comparator":">","threshold":0.05,"samples":640,"windowMinutes":10}')`, [rows[0].id]);
      return rows[0].id as string;
    });

    const engineer = await browser.newPage();
    await signIn(engineer, 'engineer@example.com');
    await engineer.goto('/alerts');
    await expect(engineer.getByTestId('open-alerts')).toBeVisible();
    const row = engineer.getByTestId(`alert-${alertId}`);
    await expect(row).toContainText('critical');
    await expect(row).toContainText('0.1200 > 0.05');
    if (SCREENSHOTS) {
      await engineer.screenshot({ path: `${SCREENSHOTS}/alerts-1400.png`, fullPage: true });
      await engineer.setViewportSize({ width: 390, height: 844 });
      await engineer.screenshot({ path: `${SCREENSHOTS}/alerts-390.png`, fullPage: true });
      await engineer.setViewportSize({ width: 1400, height: 900 });
    }
    await row.getByRole('button', { name: `Acknowledge ${ruleName}` }).click();
    await expect(row).toContainText('acknowledged');
    await engineer.goto(`/alerts/${alertId}`);
    await expect(engineer.getByTestId('timeline-acknowledged')).toBeVisible();
    await expect(engineer.getByRole('heading', { name: ruleName })).toBeVisible();
    if (SCREENSHOTS) {
      await engineer.screenshot({ path: `${SCREENSHOTS}/alert-detail-1400.png`, fullPage: true });
      await engineer.setViewportSize({ width: 390, height: 844 });
      await engineer.screenshot({ path: `${SCREENSHOTS}/alert-detail-390.png`, fullPage: true });
    }
    await engineer.close();
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
