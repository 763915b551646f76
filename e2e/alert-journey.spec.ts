import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './support/fixtures';
import { apiAs, createServedEnvironment, uploadChurnReference, useDemoTraffic, useModelServer } from './support/model-server';

const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

/**
 * The alert journey on real parts: a model server of the spec's own reporting predictions to
 * the dashboard, an environment deploying to it (specs run in parallel, so the shared demo
 * environments are left alone; a second environment after it plays production), the demo
 * traffic generator shifting a feature, a drift rule made in the rule editor, a signed
 * `alert.firing` at a loopback receiver, the drift gate blocking the promotion, and the alert
 * acknowledged and resolved — each step in the audit log.
 */
const server = useModelServer({ reportAs: 'engineer@example.com' });
const traffic = useDemoTraffic(server);
let receiver: http.Server;
let receiverUrl: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

test.beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/oncall`;
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
});

/** With E2E_SCREENSHOTS set: the page at 1400 px and at 390 px. */
async function shoot(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  const size = page.viewportSize()!;
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(size);
}

test('an engineer makes a drift rule in the editor; shifted traffic fires it, signed; the gate blocks; acknowledged, resolved, audited', async ({
  page,
  browser,
  playwright,
  adminApi,
}) => {
  test.setTimeout(200_000);
  const suffix = Date.now().toString(36);
  const environment = `drift-${suffix}`;
  const gated = `prod-${suffix}`;
  const model = 'churn-predictor';
  const version = 3;
  const ruleName = `Tenure drift ${suffix}`;
  const engineerApi = await apiAs(playwright, 'engineer@example.com');
  const reviewerApi = await apiAs(playwright, 'reviewer@example.com');

  // Two environments at the end of the order: the watched one, then one that gates on drift.
  await createServedEnvironment(adminApi, server(), { name: environment });
  expect((await adminApi.post('/api/v1/environments', { data: { name: gated, requiredApprovals: 1, blockOnOpenDriftAlert: true } })).status()).toBe(201);

  // The reference the drift is measured against: unshifted rows of the same generator.
  await uploadChurnReference(engineerApi, model, version);

  // The demo model goes live on the spec's model server; a promotion to the gated environment waits for a reviewer.
  const live = await engineerApi.post(`/api/v1/models/${model}/versions/${version}/promotions`, { data: { environment } });
  expect(live.status(), await live.text()).toBe(201);
  await expect.poll(async () => (await (await engineerApi.get(`/api/v1/models/${model}/environments/${environment}`)).json()).liveVersion, { timeout: 30_000 }).toBe(version);
  const pending = await engineerApi.post(`/api/v1/models/${model}/versions/${version}/promotions`, { data: { environment: gated, note: 'after the campaign' } });
  expect(pending.status(), await pending.text()).toBe(201);
  const pendingRelease = (await pending.json()) as { id: string; status: string };
  expect(pendingRelease.status).toBe('pending_approval');

  const channel = await adminApi.post('/api/v1/channels', { data: { kind: 'webhook', name: `oncall-${suffix}`, target: receiverUrl } });
  expect(channel.status(), await channel.text()).toBe(201);
  const { secret } = (await channel.json()) as { secret: string };

  // The engineer writes the rule in the editor.
  await signIn(page, 'engineer@example.com');
  await page.goto('/alerts');
  await page.getByRole('link', { name: 'Alert rules' }).click();
  await page.getByRole('link', { name: 'New rule' }).click();
  const form = page.getByRole('form', { name: 'New alert rule' });
  await form.getByLabel('Name', { exact: true }).fill(ruleName);
  await form.getByLabel('Model', { exact: true }).selectOption(model);
  await form.getByLabel('Environment', { exact: true }).selectOption(environment);
  await form.getByLabel('Version', { exact: true }).selectOption(String(version));
  await form.getByLabel('Signal', { exact: true }).selectOption('feature_drift');
  await form.getByLabel('Feature', { exact: true }).selectOption('tenure_months');
  await form.getByLabel('Statistic', { exact: true }).selectOption('psi');
  await form.getByLabel('Fires when the value is', { exact: true }).selectOption('>');
  await form.getByLabel('Threshold', { exact: true }).fill('0.2');
  await form.getByLabel('Window (minutes)', { exact: true }).fill('1');
  await form.getByLabel('Minimum samples', { exact: true }).fill('50');
  await form.getByLabel('Severity', { exact: true }).selectOption('critical');
  await form.getByLabel(`oncall-${suffix} (webhook)`).check();
  // The preview answers for the draft (no data in this environment yet).
  await expect(page.getByTestId('rule-preview-firings')).toContainText(/No data|Would have fired/, { timeout: 20_000 });
  await shoot(page, 'rule-editor');
  await form.getByRole('button', { name: 'Create rule' }).click();
  await expect(page).toHaveURL(/\/alerts\/rules$/);
  await expect(page.getByTestId(`rule-${ruleName}`)).toContainText('drift of feature tenure_months (psi)');
  await shoot(page, 'rules');

  // Shifted traffic through the real model server, which reports it to the dashboard.
  traffic.start({ environment, rate: 40, duration: '150s', shift: { feature: 'tenure_months', factor: 3 } });

  // Within two minutes: a correctly signed alert.firing for this rule.
  await expect
    .poll(() => received.find((r) => (JSON.parse(r.body) as { event: string; alert?: { rule: string } }).alert?.rule === ruleName && JSON.parse(r.body).event === 'alert.firing'), {
      timeout: 120_000,
      intervals: [1000],
    })
    .toBeTruthy();
  const firing = received.find((r) => JSON.parse(r.body).alert?.rule === ruleName)!;
  const [t, v1] = String(firing.headers['x-modeldeck-signature']).split(',').map((part) => part.split('=')[1]);
  expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${firing.body}`).digest('hex'));
  const event = JSON.parse(firing.body) as { alert: { id: string; model: string; environment: string; value: number; threshold: number } };
  expect(event.alert).toMatchObject({ model, environment, threshold: 0.2 });
  expect(event.alert.value).toBeGreaterThan(0.2);
  traffic.stop();

  // With data, the rule's page previews its last 7 days: it would have fired, the chart drawn.
  await page.goto('/alerts/rules');
  await page.getByRole('link', { name: ruleName, exact: true }).click();
  await expect(page.getByTestId('rule-preview-firings')).toContainText('Would have fired once', { timeout: 30_000 });
  await expect(page.getByRole('img', { name: /threshold > 0.2; 1 firing span/ })).toBeVisible();
  await shoot(page, 'rule-preview');

  // The reviewer sees the promotion blocked by the gate, the alert named and linked; approving is refused.
  const reviewerContext = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.91' } });
  const reviewer = await reviewerContext.newPage();
  await signIn(reviewer, 'reviewer@example.com');
  await reviewer.goto(`/releases/${pendingRelease.id}`);
  // The live gates (the request's own evidence, taken before the alert, is listed below them).
  const gate = reviewer.getByTestId('gate-drift_alert').first();
  await expect(gate).toContainText('failed');
  await expect(gate).toContainText(ruleName);
  await expect(gate.getByRole('link', { name: `Open alert “${ruleName}”` })).toHaveAttribute('href', `/alerts/${event.alert.id}`);
  const refused = await reviewerApi.post(`/api/v1/promotions/${pendingRelease.id}/approve`, { data: {} });
  expect(refused.status()).toBe(409);
  expect(await refused.text()).toContain(ruleName);
  await reviewerContext.close();

  // The engineer acknowledges with a comment, then resolves.
  await page.goto(`/alerts/${event.alert.id}`);
  await expect(page.getByRole('heading', { name: 'Signal around the firing time' })).toBeVisible();
  await expect(page.getByRole('img', { name: /threshold > 0.2/ })).toBeVisible();
  await shoot(page, 'alert');
  await page.getByLabel('Acknowledgement comment (optional)').fill('Campaign brought longer-tenure customers; checking');
  await page.getByRole('button', { name: `Acknowledge ${ruleName}` }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('timeline-acknowledged')).toContainText('Campaign brought longer-tenure customers', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  // Silenced before resolving, so the still-shifted hour does not open a new incident.
  const rules = (await (await engineerApi.get(`/api/v1/alert-rules?model=${model}`)).json()) as { items: { id: string; name: string }[] };
  const ruleId = rules.items.find((rule) => rule.name === ruleName)!.id;
  expect((await engineerApi.patch(`/api/v1/alert-rules/${ruleId}`, { data: { enabled: false } })).status()).toBe(200);
  await page.getByLabel('Resolution comment (optional)').fill('Reference refreshed');
  await page.getByRole('button', { name: `Resolve ${ruleName}` }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('timeline-resolved')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  // The audit log shows each step (admins read it).
  const adminContext = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.92' } });
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin@example.com');
  for (const action of ['alert_rule.create', 'alert.acknowledge', 'alert_rule.update', 'alert.resolve']) {
    await admin.goto(`/audit?action=${action}`);
    const table = admin.getByRole('table', { name: 'Audit entries' });
    await expect(table.getByRole('row').filter({ hasText: action }).first()).toBeVisible();
  }
  await admin.goto('/audit?action=alert.');
  await expect(admin.getByRole('table', { name: 'Audit entries' })).toContainText(event.alert.id);
  await shoot(admin, 'audit');
  if (SCREENSHOTS) {
    await admin.goto('/admin/environments');
    const section = admin.getByTestId(`environment-${environment}`);
    await section.getByText('Retraining pipeline').click();
    for (const width of [1400, 390]) {
      await admin.setViewportSize({ width, height: 900 });
      await section.screenshot({ path: `${SCREENSHOTS}/admin-environment-${width}.png` });
    }
  }
  await adminContext.close();
});
