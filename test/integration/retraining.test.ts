import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as requestRetrainingRoute } from '@/app/api/v1/alerts/[id]/retraining/route';
import { POST as createRuleRoute } from '@/app/api/v1/alert-rules/route';
import { DELETE as deleteWebhookRoute, GET as getWebhookRoute, PUT as putWebhookRoute } from '@/app/api/v1/environments/[environment]/retraining-webhook/route';
import { POST as callbackRoute } from '@/app/api/v1/retraining-requests/[id]/callback/route';
import { GET as listRoute } from '@/app/api/v1/retraining-requests/route';
import { db } from '@/lib/db';
import { evaluateAlerts } from '@/lib/server/alerts/evaluate-alerts';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { signPayload, verifySignature } from '@/lib/server/webhooks/sign-payload';
import { call, createTestUser, waitFor } from '../helpers';
import { monitoringApi as m } from '../monitoring-api';
import { api, promote } from '../registry-api';

/**
 * The retraining round trip against a real loopback "pipeline": a firing rule with the
 * request_retraining action (or an engineer's button) sends a signed event through the job
 * queue, the pipeline's signed callback acknowledges it, and registering a version with the
 * live version as parent completes it.
 */

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
let reviewer: User;
let viewer: User;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let failNext = 0;
let receiver: http.Server;
let pipelineUrl: string;
const secret = randomBytes(24).toString('base64url');
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failNext > 0) {
        failNext -= 1;
        response.writeHead(503).end('busy');
        return;
      }
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(202).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  pipelineUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/train`;
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS = '1';
  process.env.MODELDECK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
  [admin, engineer, reviewer, viewer] = await Promise.all([
    createTestUser(['admin']),
    createTestUser(['engineer']),
    createTestUser(['reviewer']),
    createTestUser(['viewer']),
  ]);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  await closeMonitoringPool();
  delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  delete process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS;
  await new Promise((resolve) => receiver.close(resolve));
});

const webhook = {
  put: (token: string, environment: string, json: unknown) =>
    call(putWebhookRoute, { path: `/api/v1/environments/${environment}/retraining-webhook`, method: 'PUT', token, json, params: { environment } }),
  get: (token: string, environment: string) => call(getWebhookRoute, { path: `/api/v1/environments/${environment}/retraining-webhook`, token, params: { environment } }),
  remove: (token: string, environment: string) =>
    call(deleteWebhookRoute, { path: `/api/v1/environments/${environment}/retraining-webhook`, method: 'DELETE', token, params: { environment } }),
};

function callback(id: string, body: string, signature?: string) {
  return call(callbackRoute, {
    path: `/api/v1/retraining-requests/${id}/callback`,
    method: 'POST',
    rawBody: body,
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-modeldeck-signature': signature } : {}) },
    params: { id },
  });
}

async function liveModelWithFiringAlert(actions: string[]) {
  const name = unique('retrain');
  expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
  expect((await api.registerVersion(engineer.token, name, { features: [{ name: 'age', type: 'numeric' }] })).status).toBe(201);
  await promote(engineer.token, reviewer.token, name, 1, 'development');
  const records = Array.from({ length: 30 }, (_, i) => ({ id: `r-${i}`, features: { age: i }, prediction: '1', ...(i % 2 ? { error: 'x' } : {}) }));
  expect((await m.predictions(engineer.token, { model: name, environment: 'development', version: 1 }, records)).status).toBe(202);
  const rule = await call(createRuleRoute, {
    path: '/api/v1/alert-rules',
    token: engineer.token,
    json: { name: unique('errors'), model: name, environment: 'development', signal: { type: 'error_rate' }, comparator: '>', threshold: 0.2, windowMinutes: 60, minSamples: 10, severity: 'critical', actions },
  });
  expect(rule.status, rule.text).toBe(201);
  await evaluateAlerts({ ruleIds: [rule.body.id as string] });
  const alert = await waitFor(() => db().alert.findFirst({ where: { ruleId: rule.body.id as string } }));
  return { name, alert };
}

describe('retraining requests', () => {
  it('are configured per environment by admins, the secret sealed and never returned', async () => {
    expect((await webhook.put(engineer.token, 'development', { url: pipelineUrl, secret })).status).toBe(403);
    const bad = await webhook.put(admin.token, 'development', { url: 'ftp://x', secret });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toHaveProperty('url');
    expect((await webhook.put(admin.token, 'development', { url: pipelineUrl, secret: 'short' })).body.errors).toHaveProperty('secret');
    const set = await webhook.put(admin.token, 'development', { url: pipelineUrl, secret });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toEqual({ environment: 'development', url: pipelineUrl, configured: true });
    expect(JSON.stringify((await webhook.get(admin.token, 'development')).body)).not.toContain(secret);
    const row = await db().environment.findUniqueOrThrow({ where: { name: 'development' } });
    expect(row.retrainingSecretSealed).not.toContain(secret);
    const audit = await db().auditEntry.findFirst({ where: { action: 'environment.retraining_webhook.set' }, orderBy: { at: 'desc' } });
    expect(JSON.stringify([audit?.before, audit?.after])).not.toContain(secret);
    expect(audit?.after).toEqual({ retrainingWebhookUrl: pipelineUrl });
  });

  it('round trip: a firing rule requests (signed, retried), the pipeline acknowledges (signed), a child version completes it', async () => {
    expect((await webhook.put(admin.token, 'development', { url: pipelineUrl, secret })).status).toBe(200);
    failNext = 1;
    const before = received.length;
    const { name, alert } = await liveModelWithFiringAlert(['request_retraining']);
    const delivery = await waitFor(() => received.slice(before).find((r) => JSON.parse(r.body).model === name) ?? null, 20_000);
    expect(verifySignature(secret, delivery.body, String(delivery.headers['x-modeldeck-signature']))).toBe(true);
    expect(delivery.headers['x-modeldeck-event']).toBe('retraining.requested');
    const event = JSON.parse(delivery.body);
    expect(event).toMatchObject({
      event: 'retraining.requested',
      model: name,
      environment: 'development',
      liveVersion: 1,
      requestedBy: 'rule',
      alert: { id: alert.id, value: 0.5, threshold: 0.2, signal: 'error rate', signalType: 'error_rate' },
      evidence: { signal: 'error_rate' },
      windows: { current: { to: alert.firedAt.toISOString() } },
    });
    const requestId = event.id as string;
    const stored = await waitFor(async () => {
      const row = await db().retrainingRequest.findUniqueOrThrow({ where: { id: requestId } });
      return row.deliveredAt ? row : null;
    });
    // The first attempt met a 503 and was retried by the queue.
    expect(stored).toMatchObject({ status: 'requested', attempts: 2, alertId: alert.id });

    // A callback without or with a wrong signature: 401, audited, nothing changes.
    const body = JSON.stringify({ status: 'acknowledged', runId: 'run-42' });
    const now = Math.floor(Date.now() / 1000);
    expect((await callback(requestId, body)).status).toBe(401);
    expect((await callback(requestId, body, signPayload('not-the-secret-at-all', body, now))).status).toBe(401);
    expect((await callback(requestId, body.replace('42', '43'), signPayload(secret, body, now))).status).toBe(401);
    expect(await db().auditEntry.count({ where: { action: 'retraining.callback_rejected', targetId: requestId } })).toBe(3);
    expect((await db().retrainingRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe('requested');

    const acknowledged = await callback(requestId, body, signPayload(secret, body, now));
    expect(acknowledged.status, acknowledged.text).toBe(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', pipelineRunId: 'run-42', liveVersion: 1 });
    // A repeat (the pipeline retrying) is harmless.
    expect((await callback(requestId, body, signPayload(secret, body, now))).status).toBe(200);

    // The pipeline registers its new version with the live one as parent: completed.
    expect((await api.registerVersion(engineer.token, name, { features: [{ name: 'age', type: 'numeric' }], parentVersion: 1 })).status).toBe(201);
    const listed = await call(listRoute, { path: `/api/v1/retraining-requests?model=${name}`, token: viewer.token });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: requestId, status: 'completed', completedVersion: 2, alertId: alert.id })]);
    const timeline = await db().alertEvent.findMany({ where: { alertId: alert.id }, orderBy: { at: 'asc' } });
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['fired', 'retraining_requested', 'retraining_delivered', 'retraining_acknowledged', 'retraining_completed']));
    const actions = (await db().auditEntry.findMany({ where: { targetId: requestId }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['retraining.request', 'retraining.acknowledge']));
  });

  it("an engineer's button asks once per alert; without a webhook it says what to configure", async () => {
    expect((await webhook.remove(admin.token, 'development')).body).toMatchObject({ configured: false });
    const { alert } = await liveModelWithFiringAlert([]);
    const ask = (token: string) =>
      call(requestRetrainingRoute, { path: `/api/v1/alerts/${alert.id}/retraining`, method: 'POST', token, json: { comment: 'drift since the campaign' }, params: { id: alert.id } });
    const unconfigured = await ask(engineer.token);
    expect(unconfigured.status).toBe(422);
    expect(unconfigured.body.detail).toContain('Admin → Environments');
    expect((await ask(viewer.token)).status).toBe(403);

    expect((await webhook.put(admin.token, 'development', { url: pipelineUrl, secret })).status).toBe(200);
    const requested = await ask(engineer.token);
    expect(requested.status, requested.text).toBe(202);
    expect(requested.body).toMatchObject({ status: 'requested', alertId: alert.id, liveVersion: 1 });
    const delivery = await waitFor(() => received.find((r) => JSON.parse(r.body).id === requested.body.id) ?? null, 20_000);
    expect(JSON.parse(delivery.body)).toMatchObject({ requestedBy: engineer.user.email, comment: 'drift since the campaign' });
    const again = await ask(engineer.token);
    expect(again.status).toBe(409);
    expect(again.body.code ?? again.body.type).toBeDefined();
  });
});
