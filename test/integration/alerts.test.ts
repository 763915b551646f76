import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as createRuleRoute, GET as listRulesRoute } from '@/app/api/v1/alert-rules/route';
import { PATCH as updateRuleRoute } from '@/app/api/v1/alert-rules/[id]/route';
import { POST as acknowledgeRoute } from '@/app/api/v1/alerts/[id]/acknowledge/route';
import { POST as resolveRoute } from '@/app/api/v1/alerts/[id]/resolve/route';
import { GET as getAlertRoute } from '@/app/api/v1/alerts/[id]/route';
import { GET as listAlertsRoute } from '@/app/api/v1/alerts/route';
import { GET as channelNotificationsRoute } from '@/app/api/v1/channels/[id]/notifications/route';
import { POST as testChannelRoute } from '@/app/api/v1/channels/[id]/test/route';
import { GET as listChannelsRoute, POST as createChannelRoute } from '@/app/api/v1/channels/route';
import { db } from '@/lib/db';
import type { AlertRule } from '@/lib/generated/prisma/client';
import { evaluateAlerts } from '@/lib/server/alerts/evaluate-alerts';
import { SIGNAL_REGISTRY } from '@/lib/server/alerts/signals';
import type { AlertSignal, Measurement } from '@/lib/server/alerts/signals/types';
import { deliverNotification } from '@/lib/server/channels/deliver-notification';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { verifySignature } from '@/lib/server/webhooks/sign-payload';
import { call, createTestUser, rawQuery, waitFor } from '../helpers';
import { api, promote } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
let viewer: User;
let reviewer: User;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let receiver: http.Server;
let baseUrl: string;
const mails: { to: string[]; data: string }[] = [];
let smtp: SMTPServer;

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/**
 * A signal measured from rows the test writes (table test_signal_values): the evaluator's
 * logic — minSamples, comparator, dedupe, auto-resolve, outbox — is what is under test here;
 * the real signals over the monitoring rollups are in alert-signals.test.ts.
 */
const tableSignal: AlertSignal = {
  async measure(rule: AlertRule): Promise<Measurement[]> {
    const rows = await db().$queryRaw<{ series: string; value: number; samples: number }[]>`
      SELECT series, value, samples FROM test_signal_values WHERE rule_id = ${rule.id}::uuid`;
    return rows.map((row) => ({ seriesKey: row.series, value: row.value, samples: row.samples }));
  },
  describe: () => 'test signal',
};

async function setSignal(ruleId: string, value: number, samples: number, series = '') {
  await rawQuery(`DELETE FROM test_signal_values WHERE rule_id = '${ruleId}' AND series = '${series}'`);
  await rawQuery(`INSERT INTO test_signal_values VALUES ('${ruleId}', '${series}', ${value}, ${samples})`);
}

const channels = {
  create: (token: string, json: unknown) => call(createChannelRoute, { path: '/api/v1/channels', token, json }),
  list: (token: string) => call(listChannelsRoute, { path: '/api/v1/channels', token }),
  test: (token: string, id: string) => call(testChannelRoute, { path: `/api/v1/channels/${id}/test`, method: 'POST', token, params: { id } }),
  notifications: (token: string, id: string) => call(channelNotificationsRoute, { path: `/api/v1/channels/${id}/notifications`, token, params: { id } }),
};
const rules = {
  create: (token: string, json: unknown) => call(createRuleRoute, { path: '/api/v1/alert-rules', token, json }),
  list: (token: string) => call(listRulesRoute, { path: '/api/v1/alert-rules', token }),
  update: (token: string, id: string, json: unknown) => call(updateRuleRoute, { path: `/api/v1/alert-rules/${id}`, method: 'PATCH', token, json, params: { id } }),
};
const alerts = {
  list: (token: string, query = '') => call(listAlertsRoute, { path: `/api/v1/alerts${query}`, token }),
  get: (token: string, id: string) => call(getAlertRoute, { path: `/api/v1/alerts/${id}`, token, params: { id } }),
  acknowledge: (token: string, id: string, json?: unknown) =>
    call(acknowledgeRoute, { path: `/api/v1/alerts/${id}/acknowledge`, method: 'POST', token, json, params: { id } }),
  resolve: (token: string, id: string, json?: unknown) =>
    call(resolveRoute, { path: `/api/v1/alerts/${id}/resolve`, method: 'POST', token, json, params: { id } }),
};

async function modelWithVersion(task = 'classification') {
  const name = unique('alerting');
  expect((await api.createModel(engineer.token, { name, task })).status).toBe(201);
  const version = await api.registerVersion(engineer.token, name, {
    features: [
      { name: 'age', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ],
  });
  expect(version.status).toBe(201);
  return name;
}

function ruleBody(model: string, overrides: Record<string, unknown> = {}) {
  return {
    name: unique('rule'),
    model,
    environment: 'development',
    signal: { type: 'error_rate' },
    comparator: '>',
    threshold: 0.05,
    windowMinutes: 5,
    minSamples: 100,
    severity: 'critical',
    channels: [],
    ...overrides,
  };
}

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  process.env.SMTP_HOST = '127.0.0.1';
  process.env.SMTP_PORT = String((smtp.server.address() as AddressInfo).port);
  process.env.SMTP_FROM = 'ModelDeck <alerts@test.example>';
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  process.env.NEXTAUTH_URL = 'https://modeldeck.test.example';

  await rawQuery('CREATE TABLE test_signal_values (rule_id uuid, series text, value float8, samples int, PRIMARY KEY (rule_id, series))');
  SIGNAL_REGISTRY.set('error_rate', tableSignal);
  SIGNAL_REGISTRY.set('dataset_drift', tableSignal);

  [admin, engineer, viewer, reviewer] = await Promise.all([
    createTestUser(['admin']),
    createTestUser(['engineer']),
    createTestUser(['viewer']),
    createTestUser(['reviewer']),
  ]);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  SIGNAL_REGISTRY.clear();
  for (const name of ['SMTP_HOST', 'SMTP_PORT', 'SMTP_FROM', 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', 'NEXTAUTH_URL']) delete process.env[name];
  await new Promise((resolve) => receiver.close(resolve));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('notification channels', () => {
  it('are created by admins only, keep secrets sealed, and deliver a signed test message', async () => {
    expect((await channels.create(engineer.token, { kind: 'webhook', name: unique('hook'), target: `${baseUrl}/x` })).status).toBe(403);
    const created = await channels.create(admin.token, { kind: 'webhook', name: unique('hook'), target: `${baseUrl}/signed` });
    expect(created.status).toBe(201);
    const { channel, secret } = created.body;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const listed = await channels.list(engineer.token);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const row = await db().alertChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(row.sealedSecret).not.toContain(secret);

    expect((await channels.test(admin.token, channel.id)).status).toBe(202);
    const delivery = await waitFor(() => received.find((r) => r.path === '/signed'));
    expect(delivery.headers['x-modeldeck-event']).toBe('channel.test');
    expect(verifySignature(secret, delivery.body, String(delivery.headers['x-modeldeck-signature']))).toBe(true);
    const log = await waitFor(async () => {
      const page = await channels.notifications(admin.token, channel.id);
      return page.body.items.find((n: { status: string }) => n.status === 'delivered');
    });
    expect(log.attempts).toBe(1);
  });

  it('sends Slack a readable Block Kit message, the URL stored sealed', async () => {
    const slackUrl = `${baseUrl}/services/T000/B000/${randomBytes(8).toString('hex')}`;
    const created = await channels.create(admin.token, { kind: 'slack', name: unique('slack'), target: slackUrl });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(slackUrl);
    expect((await db().alertChannel.findUniqueOrThrow({ where: { id: created.body.channel.id } })).sealedSecret).not.toContain('services');
    await channels.test(admin.token, created.body.channel.id);
    const message = JSON.parse((await waitFor(() => received.find((r) => r.path === new URL(slackUrl).pathname))).body);
    expect(message.text).toContain('example-model');
    expect(message.blocks[0]).toMatchObject({ type: 'header' });
    const fields = message.blocks[1].fields.map((f: { text: string }) => f.text).join('\n');
    expect(fields).toContain('error rate');
    expect(fields).toContain('0.1200 > 0.05000');
    expect(message.blocks.at(-1).elements[0].url).toBe('https://modeldeck.test.example/alerts');
  });

  it('e-mails through SMTP', async () => {
    const created = await channels.create(admin.token, { kind: 'email', name: unique('mail'), target: 'oncall@test.example' });
    expect(created.status).toBe(201);
    await channels.test(admin.token, created.body.channel.id);
    const mail = await waitFor(() => mails.find((m) => m.to.includes('oncall@test.example')));
    expect(mail.data).toMatch(/Subject: \[ModelDeck info\] Test message/);
    expect(mail.data).toContain('https://modeldeck.test.example/alerts');
  });
});

describe('alert rules', () => {
  it('refuse what cannot be evaluated, naming the field', async () => {
    const model = await modelWithVersion();
    const unknownModel = await rules.create(engineer.token, ruleBody('no-such-model'));
    expect(unknownModel.status).toBe(422);
    expect(unknownModel.body.errors).toHaveProperty('model');
    const feature = await rules.create(engineer.token, ruleBody(model, { signal: { type: 'feature_drift', feature: 'income' } }));
    expect(feature.status).toBe(422);
    expect(feature.body.errors).toHaveProperty(['signal.feature']);
    expect(feature.body.detail).toContain('age, plan');
    const metric = await rules.create(engineer.token, ruleBody(model, { signal: { type: 'performance', metric: 'rmse' } }));
    expect(metric.status).toBe(422);
    expect(metric.body.errors).toHaveProperty(['signal.metric']);
    const regressionMetric = await rules.create(engineer.token, ruleBody(model, { signal: { type: 'performance', metric: 'mape' } }));
    expect(regressionMetric.status).toBe(422);
    expect(regressionMetric.body.detail).toContain('classification');
    const ksOnCategory = await rules.create(engineer.token, ruleBody(model, { signal: { type: 'feature_drift', feature: 'plan', statistic: 'ks' } }));
    expect(ksOnCategory.status).toBe(422);
    expect(ksOnCategory.body.errors).toHaveProperty(['signal.statistic']);
    expect(ksOnCategory.body.detail).toContain('categorical');
    const chiOnNumber = await rules.create(engineer.token, ruleBody(model, { signal: { type: 'feature_drift', feature: 'age', statistic: 'chi2' } }));
    expect(chiOnNumber.status).toBe(422);
    expect(chiOnNumber.body.errors).toHaveProperty(['signal.statistic']);
    expect((await rules.create(engineer.token, ruleBody(model, { signal: { type: 'feature_drift', feature: 'plan', statistic: 'chi2' } }))).status).toBe(201);
    const window = await rules.create(engineer.token, ruleBody(model, { windowMinutes: 0 }));
    expect(window.status).toBe(422);
    expect(window.body.detail).toContain('windowMinutes');
    expect((await rules.create(viewer.token, ruleBody(model))).status).toBe(403);
  });

  it('are created, snoozed and disabled with every change audited, and read by everyone', async () => {
    const model = await modelWithVersion();
    const created = await rules.create(engineer.token, ruleBody(model, { signal: { type: 'feature_drift', feature: 'age' } }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const snoozed = await rules.update(engineer.token, id, { snoozeMinutes: 60 });
    expect(snoozed.status).toBe(200);
    expect(new Date(snoozed.body.snoozedUntil).getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect((await rules.update(engineer.token, id, { enabled: false })).body.enabled).toBe(false);
    expect((await rules.list(viewer.token)).body.items.map((r: { id: string }) => r.id)).toContain(id);
    const audit = await db().auditEntry.findMany({ where: { targetId: id }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['alert_rule.create', 'alert_rule.snooze', 'alert_rule.update']);
  });
});

describe('evaluation and lifecycle', () => {
  it('fires once per series, respects minSamples, notifies once, and auto-resolves after a clear window', async () => {
    const model = await modelWithVersion();
    const hook = await channels.create(admin.token, { kind: 'webhook', name: unique('hook'), target: `${baseUrl}/lifecycle` });
    const rule = (await rules.create(engineer.token, ruleBody(model, { channels: [hook.body.channel.id] }))).body;
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

    await setSignal(rule.id, 0.2, 50);
    await evaluateAlerts({ now: at(0), ruleIds: [rule.id] });
    expect(await db().alert.count({ where: { ruleId: rule.id } })).toBe(0);

    await setSignal(rule.id, 0.2, 500);
    await Promise.all([1, 1, 1, 1].map((m) => evaluateAlerts({ now: at(m), ruleIds: [rule.id] })));
    await evaluateAlerts({ now: at(2), ruleIds: [rule.id] });
    const open = await db().alert.findMany({ where: { ruleId: rule.id } });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ status: 'firing', value: 0.2, samples: 500 });

    const firing = await waitFor(() => received.find((r) => r.path === '/lifecycle' && r.headers['x-modeldeck-event'] === 'alert.firing'));
    const payload = JSON.parse(firing.body);
    expect(payload.alert).toMatchObject({ id: open[0]!.id, model, value: 0.2, threshold: 0.05, comparator: '>' });

    // Clear, but with too few samples: nothing changes. Then clear for less than a window, then a full one.
    await setSignal(rule.id, 0.01, 10);
    await evaluateAlerts({ now: at(3), ruleIds: [rule.id] });
    await setSignal(rule.id, 0.01, 500);
    await evaluateAlerts({ now: at(4), ruleIds: [rule.id] });
    await evaluateAlerts({ now: at(8), ruleIds: [rule.id] });
    expect((await db().alert.findUniqueOrThrow({ where: { id: open[0]!.id } })).status).toBe('firing');
    await evaluateAlerts({ now: at(9), ruleIds: [rule.id] });
    const resolved = await alerts.get(viewer.token, open[0]!.id);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedReason: 'auto' });
    expect(resolved.body.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['fired', 'notified', 'resolved']));

    await waitFor(() => received.find((r) => r.path === '/lifecycle' && r.headers['x-modeldeck-event'] === 'alert.resolved'));
    expect(received.filter((r) => r.path === '/lifecycle' && r.headers['x-modeldeck-event'] === 'alert.firing')).toHaveLength(1);

    // A new breach is a new incident.
    await setSignal(rule.id, 0.3, 500);
    await evaluateAlerts({ now: at(10), ruleIds: [rule.id] });
    expect(await db().alert.count({ where: { ruleId: rule.id } })).toBe(2);
  });

  it('catches up after an evaluation killed mid-run, without duplicate alerts or notifications', async () => {
    const model = await modelWithVersion();
    const hook = await channels.create(admin.token, { kind: 'webhook', name: unique('hook'), target: `${baseUrl}/killed` });
    const rule = (await rules.create(engineer.token, ruleBody(model, { channels: [hook.body.channel.id] }))).body;
    await setSignal(rule.id, 0.5, 1000, 'a');
    await setSignal(rule.id, 0.5, 1000, 'b');
    // Kill every run in the middle of the rule's transaction: series "a" is written, then the
    // notification insert fails as a process dying before commit would (the worker's own run,
    // queued when the rule was created, dies the same way).
    await rawQuery(`
      CREATE FUNCTION test_kill() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'killed mid-run'; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER test_kill BEFORE INSERT ON alert_notifications FOR EACH ROW EXECUTE FUNCTION test_kill();`);
    try {
      await evaluateAlerts({ ruleIds: [rule.id] });
      expect(await db().alert.count({ where: { ruleId: rule.id } })).toBe(0);
    } finally {
      await rawQuery('DROP TRIGGER test_kill ON alert_notifications; DROP FUNCTION test_kill()');
    }
    await evaluateAlerts({ ruleIds: [rule.id] });
    await evaluateAlerts({ ruleIds: [rule.id] });
    const rows = await db().alert.findMany({ where: { ruleId: rule.id }, include: { notifications: true } });
    expect(rows.map((r) => r.seriesKey).sort()).toEqual(['a', 'b']);
    expect(rows.every((r) => r.notifications.length === 1)).toBe(true);
    await waitFor(() => received.filter((r) => r.path === '/killed').length === 2 || null);
  });

  it('lets exactly one of many people acknowledge at once, then resolves with a comment, all audited', async () => {
    const model = await modelWithVersion();
    const rule = (await rules.create(engineer.token, ruleBody(model))).body;
    await setSignal(rule.id, 0.9, 1000);
    await evaluateAlerts({ ruleIds: [rule.id] });
    const alert = await db().alert.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect((await alerts.acknowledge(viewer.token, alert.id)).status).toBe(403);

    const people = await Promise.all(Array.from({ length: 8 }, () => createTestUser(['engineer'])));
    const answers = await Promise.all(people.map((p) => alerts.acknowledge(p.token, alert.id, { comment: 'looking' })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'alert_state')).toBe(true);

    // Still breaching: re-evaluation keeps the acknowledged alert, never duplicates it.
    await evaluateAlerts({ ruleIds: [rule.id] });
    expect(await db().alert.count({ where: { ruleId: rule.id } })).toBe(1);

    const resolved = await alerts.resolve(engineer.token, alert.id, { comment: 'rolled back' });
    expect(resolved.status).toBe(200);
    expect((await alerts.resolve(engineer.token, alert.id)).status).toBe(409);
    const kinds = resolved.body.events.map((e: { kind: string; actor: string | null; comment: string | null }) => [e.kind, e.comment]);
    expect(kinds).toEqual([
      ['fired', null],
      ['acknowledged', 'looking'],
      ['resolved', 'rolled back'],
    ]);
    const audit = await db().auditEntry.findMany({ where: { targetId: alert.id }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['alert.acknowledge', 'alert.resolve']);

    const listed = await alerts.list(viewer.token, `?model=${model}&status=resolved`);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([alert.id]);
  });

  it('shows an unreachable channel failing on the alert and on the channel, the alert kept', async () => {
    const model = await modelWithVersion();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => closed.close(resolve));
    const hook = await channels.create(admin.token, { kind: 'webhook', name: unique('dead'), target: deadUrl });
    const rule = (await rules.create(engineer.token, ruleBody(model, { channels: [hook.body.channel.id] }))).body;
    await setSignal(rule.id, 0.9, 1000);
    await evaluateAlerts({ ruleIds: [rule.id] });
    const notification = await db().alertNotification.findFirstOrThrow({ where: { channelId: hook.body.channel.id } });
    await expect(deliverNotification(notification.id, { final: true })).rejects.toThrow(/refused/i);

    const detail = await alerts.get(viewer.token, notification.alertId!);
    expect(detail.body.status).toBe('firing');
    expect(detail.body.notifications[0]).toMatchObject({ status: 'failed' });
    expect(detail.body.events.find((e: { kind: string }) => e.kind === 'notification_failed').detail.error).toMatch(/refused/i);
    const log = await channels.notifications(admin.token, hook.body.channel.id);
    expect(log.body.items[0]).toMatchObject({ status: 'failed', event: 'alert.firing' });
  });
});

describe('the drift-alert promotion gate', () => {
  it('blocks requests (422) and approvals (409) while a drift alert is open, naming it', async () => {
    const model = await modelWithVersion();
    await promote(engineer.token, reviewer.token, model, 1, 'development');
    await promote(engineer.token, reviewer.token, model, 1, 'staging');
    const pending = await api.requestPromotion(engineer.token, model, 1, { environment: 'production' });
    expect(pending.status).toBe(201);

    const rule = (await rules.create(engineer.token, ruleBody(model, { name: 'Churn drift', environment: 'staging', signal: { type: 'dataset_drift' }, threshold: 0.2 }))).body;
    await setSignal(rule.id, 0.4, 1000);
    await evaluateAlerts({ ruleIds: [rule.id] });
    const alert = await db().alert.findFirstOrThrow({ where: { ruleId: rule.id } });

    const approval = await api.approve(reviewer.token, pending.body.id);
    expect(approval.status).toBe(409);
    expect(approval.body.code).toBe('gate_failed');
    expect(approval.body.detail).toContain('Churn drift');

    const other = await modelWithVersion();
    const otherRule = (await rules.create(engineer.token, ruleBody(other, { name: 'Other drift', signal: { type: 'dataset_drift' } }))).body;
    await setSignal(otherRule.id, 0.9, 1000);
    await evaluateAlerts({ ruleIds: [otherRule.id] });
    const blocked = await api.requestPromotion(engineer.token, other, 1, { environment: 'development' });
    expect(blocked.status).toBe(422);
    expect(blocked.body.code).toBe('gate_failed');
    expect(blocked.body.detail).toContain('Other drift');

    // Acknowledged still blocks; resolved lets the approval through.
    await alerts.acknowledge(engineer.token, alert.id);
    expect((await api.approve(reviewer.token, pending.body.id)).status).toBe(409);
    await alerts.resolve(engineer.token, alert.id);
    expect((await api.approve(reviewer.token, pending.body.id)).status).toBe(200);
  });
});
