import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as createRuleRoute } from '@/app/api/v1/alert-rules/route';
import { POST as createChannelRoute } from '@/app/api/v1/channels/route';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { verifySignature } from '@/lib/server/webhooks/sign-payload';
import { call, createTestUser, rawQuery, waitFor } from '../helpers';
import { monitoringApi as m } from '../monitoring-api';
import { api } from '../registry-api';

/**
 * Ingestion queues an evaluation of the rules on the series it wrote, in its own transaction,
 * deduplicated per series; the real worker runs it. No test calls the evaluator directly here.
 */

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
const received: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let receiver: http.Server;
let baseUrl: string;
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

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
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  process.env.MODELDECK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
  [admin, engineer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer'])]);
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  await closeMonitoringPool();
  delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  await new Promise((resolve) => receiver.close(resolve));
});

async function modelWithRule(channelId: string) {
  const name = unique('ingest-eval');
  expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
  expect((await api.registerVersion(engineer.token, name, { features: [{ name: 'age', type: 'numeric' }] })).status).toBe(201);
  const rule = await call(createRuleRoute, {
    path: '/api/v1/alert-rules',
    token: engineer.token,
    json: {
      name: unique('errors'),
      model: name,
      environment: 'production',
      signal: { type: 'error_rate' },
      comparator: '>',
      threshold: 0.1,
      windowMinutes: 60,
      minSamples: 20,
      severity: 'critical',
      channels: [channelId],
    },
  });
  expect(rule.status, rule.text).toBe(201);
  const model = await db().model.findUniqueOrThrow({ where: { name } });
  // The rule's own first evaluation (queued on creation) finds no data yet.
  await waitFor(async () => (await jobsFor(rule.body.id as string, 'ruleIds')).every((job) => job.state === 'completed' || job.state === 'failed') || null);
  return { name, ruleId: rule.body.id as string, modelId: model.id };
}

async function jobsFor(value: string, key: 'ruleIds' | 'modelId') {
  const sql =
    key === 'ruleIds'
      ? `SELECT state, singleton_key FROM pgboss.job WHERE name = 'alert-evaluate' AND data->'ruleIds' ? '${value}'`
      : `SELECT state, singleton_key FROM pgboss.job WHERE name = 'alert-evaluate' AND data->>'modelId' = '${value}'`;
  return (await rawQuery(sql)).rows as { state: string; singleton_key: string | null }[];
}

const failing = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, timestamp: new Date(Date.now() - 60_000 + i).toISOString(), features: { age: i }, prediction: '1', error: 'boom' }));

describe('evaluation after ingestion', () => {
  it('queues one deduplicated evaluation per series and fires from it, signed and notified once', async () => {
    const channel = await call(createChannelRoute, { path: '/api/v1/channels', token: admin.token, json: { kind: 'webhook', name: unique('hook'), target: `${baseUrl}/ingest` } });
    expect(channel.status, channel.text).toBe(201);
    const { name, ruleId, modelId } = await modelWithRule(channel.body.channel.id as string);
    // Five batches in a burst: one job for this throttle slot and at most one for the next.
    for (let batch = 0; batch < 5; batch++) {
      const sent = await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, failing(`b${batch}`, 10));
      expect(sent.status, sent.text).toBe(202);
    }
    const jobs = await jobsFor(modelId, 'modelId');
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect(jobs.length).toBeLessThanOrEqual(2);
    expect(new Set(jobs.map((job) => job.singleton_key)).size).toBe(1);
    expect(jobs[0]!.singleton_key).toContain(modelId);

    const alert = await waitFor(() => db().alert.findFirst({ where: { ruleId } }), 20_000);
    expect(alert).toMatchObject({ status: 'firing', samples: 50 });
    const delivery = await waitFor(() => received.find((r) => r.path === '/ingest') ?? null, 20_000);
    expect(verifySignature(channel.body.secret as string, delivery.body, String(delivery.headers['x-modeldeck-signature']))).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({ event: 'alert.firing' });
    // A batch of duplicates stores nothing and queues nothing.
    const before = (await jobsFor(modelId, 'modelId')).length;
    expect((await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, failing('b0', 10))).status).toBe(202);
    expect((await jobsFor(modelId, 'modelId')).length).toBe(before);
  });

  it('catches up after the evaluation it queued was killed mid-run, without a duplicate alert or notification', async () => {
    const channel = await call(createChannelRoute, { path: '/api/v1/channels', token: admin.token, json: { kind: 'webhook', name: unique('hook'), target: `${baseUrl}/catch-up` } });
    const { name, ruleId, modelId } = await modelWithRule(channel.body.channel.id as string);
    // Every evaluation dies inside the rule's transaction, after the alert row was written.
    await rawQuery(`
      CREATE FUNCTION test_kill_eval() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'killed mid-run'; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER test_kill_eval BEFORE INSERT ON alert_notifications FOR EACH ROW EXECUTE FUNCTION test_kill_eval();`);
    try {
      expect((await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, failing('k', 30))).status).toBe(202);
      await waitFor(async () => (await jobsFor(modelId, 'modelId')).some((job) => job.state === 'failed' || job.state === 'retry' || job.state === 'completed') || null, 20_000);
      expect(await db().alert.count({ where: { ruleId } })).toBe(0);
    } finally {
      await rawQuery('DROP TRIGGER test_kill_eval ON alert_notifications; DROP FUNCTION test_kill_eval()');
    }
    // The next batch's evaluation (or the retry) catches up: one alert, one notification.
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    expect((await m.predictions(engineer.token, { model: name, environment: 'production', version: 1 }, failing('k2', 5))).status).toBe(202);
    const alert = await waitFor(() => db().alert.findFirst({ where: { ruleId }, include: { notifications: true } }), 20_000);
    expect(alert.samples).toBeGreaterThanOrEqual(30);
    await waitFor(() => received.some((r) => r.path === '/catch-up') || null, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await db().alert.count({ where: { ruleId } })).toBe(1);
    expect(await db().alertNotification.count({ where: { alertId: alert.id } })).toBe(1);
    expect(received.filter((r) => r.path === '/catch-up')).toHaveLength(1);
  }, 60_000);
});
