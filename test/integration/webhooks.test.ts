import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as listDeliveriesRoute } from '@/app/api/v1/webhooks/[id]/deliveries/route';
import { DELETE as deleteWebhookRoute } from '@/app/api/v1/webhooks/[id]/route';
import { GET as listWebhooksRoute, POST as createWebhookRoute } from '@/app/api/v1/webhooks/route';
import { db } from '@/lib/db';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { deliverWebhook } from '@/lib/server/webhooks/deliver-webhook';
import { WEBHOOK_EVENTS } from '@/lib/server/webhooks/events';
import { verifySignature } from '@/lib/server/webhooks/sign-payload';
import { call, createTestUser, waitFor } from '../helpers';
import { api, waitUntilLive } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1: records every request; `/fail-N/…` answers 500 to its first N requests. */
const received: Received[] = [];
const failures = new Map<string, number>();
let receiver: http.Server;
let baseUrl: string;

let admin: User;
let engineer: User;
let viewer: User;

const webhooks = {
  list: (token: string | undefined) => call(listWebhooksRoute, { path: '/api/v1/webhooks', token }),
  create: (token: string | undefined, json: unknown) => call(createWebhookRoute, { path: '/api/v1/webhooks', token, json }),
  remove: (token: string | undefined, id: string) => call(deleteWebhookRoute, { path: `/api/v1/webhooks/${id}`, method: 'DELETE', token, params: { id } }),
  deliveries: (token: string | undefined, id: string, query = '') =>
    call(listDeliveriesRoute, { path: `/api/v1/webhooks/${id}/deliveries${query}`, token, params: { id } }),
};

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const requestsTo = (path: string) => received.filter((r) => r.path === path);

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const budget = Number(/^\/fail-(\d+)\//.exec(path)?.[1] ?? 0);
      const failed = failures.get(path) ?? 0;
      const fail = path.startsWith('/always-500/') || failed < budget;
      if (fail) failures.set(path, failed + 1);
      response.writeHead(fail ? 500 : 200, { 'content-type': 'text/plain' }).end(fail ? 'not now' : 'ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  // The receiver listens on loopback, as in embedded mode (where private networks are allowed).
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  [admin, engineer, viewer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer']), createTestUser(['viewer'])]);
  // Retries after ~1–2 s instead of 15 s (read when the queues are created, i.e. now).
  process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS = '1';
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterEach(async () => {
  // Each test subscribes its own endpoints; they must not receive the next test's events.
  await db().webhookEndpoint.deleteMany({});
});

afterAll(async () => {
  await stopBoss();
  delete process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS;
  delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  await new Promise((resolve) => receiver.close(resolve));
});

async function newModel() {
  const name = unique('hooked');
  expect((await api.createModel(engineer.token, { name })).status).toBe(201);
  return name;
}

describe('managing webhooks', () => {
  it('creates a webhook and returns its secret once; lists never show it; the audit entry never holds it', async () => {
    const created = await webhooks.create(admin.token, {
      url: `${baseUrl}/manage/`,
      events: ['release.live', 'version.registered', 'release.live'],
      description: '  CI hook ',
    });
    expect(created.status).toBe(201);
    const { webhook, secret } = created.body;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(webhook).toEqual({
      id: expect.any(String),
      url: `${baseUrl}/manage/`,
      // Catalogue order, once each.
      events: ['version.registered', 'release.live'],
      description: 'CI hook',
      active: true,
      createdAt: expect.any(String),
    });

    const listed = await webhooks.list(admin.token);
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((w: { id: string }) => w.id === webhook.id)).toEqual(webhook);
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toContain('secret');

    expect((await db().webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).secret).toBe(secret);
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'webhook.create', targetId: webhook.id } });
    expect(entry.actorId).toBe(admin.user.id);
    expect(entry.after).toEqual({ url: `${baseUrl}/manage/`, events: ['version.registered', 'release.live'], description: 'CI hook' });
    expect(JSON.stringify([entry.before, entry.after])).not.toContain(secret);

    // A second webhook gets its own secret.
    const other = await webhooks.create(admin.token, { url: `${baseUrl}/manage-2/`, events: ['release.failed'] });
    expect(other.body.secret).not.toBe(secret);
  });

  it('refuses invalid URLs, unknown or no events and unknown fields with 422 naming the field, creating nothing', async () => {
    const before = await db().webhookEndpoint.count();
    const cases: [unknown, string][] = [
      [{ url: 'not a url', events: ['release.live'] }, 'url'],
      [{ url: 'ftp://example.com/hook', events: ['release.live'] }, 'url'],
      [{ url: 'javascript:alert(1)', events: ['release.live'] }, 'url'],
      [{ events: ['release.live'] }, 'url'],
      [{ url: 'https://example.com/hook', events: ['model.deleted'] }, 'events.0'],
      [{ url: 'https://example.com/hook', events: [] }, 'events'],
      [{ url: 'https://example.com/hook' }, 'events'],
      [{ url: 'https://example.com/hook', events: ['release.live'], secret: 'mine' }, 'secret'],
      [{ url: 'https://example.com/hook', events: ['release.live'], description: 'x'.repeat(501) }, 'description'],
    ];
    for (const [json, field] of cases) {
      const response = await webhooks.create(admin.token, json);
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect(Object.keys(response.body.errors), JSON.stringify(json)).toEqual([field]);
    }
    expect(await db().webhookEndpoint.count()).toBe(before);
  });

  it('is for admins only: 403 for viewers and engineers, 401 without credentials', async () => {
    const created = await webhooks.create(admin.token, { url: `${baseUrl}/guarded/`, events: ['release.live'] });
    const id = created.body.webhook.id;
    for (const [token, status] of [
      [viewer.token, 403],
      [engineer.token, 403],
      [undefined, 401],
    ] as const) {
      const responses = [
        await webhooks.list(token),
        await webhooks.create(token, { url: 'https://example.com/x', events: ['release.live'] }),
        await webhooks.remove(token, id),
        await webhooks.deliveries(token, id),
      ];
      expect(responses.map((r) => r.status)).toEqual([status, status, status, status]);
    }
    expect(await db().webhookEndpoint.count({ where: { id } })).toBe(1);
  });

  it('deletes a webhook (404 the second time); it then receives nothing', async () => {
    const created = await webhooks.create(admin.token, { url: `${baseUrl}/deleted/`, events: ['version.registered'] });
    const id = created.body.webhook.id;
    const deleted = await webhooks.remove(admin.token, id);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id, url: `${baseUrl}/deleted/` });
    const again = await webhooks.remove(admin.token, id);
    expect(again.status).toBe(404);
    expect((await webhooks.deliveries(admin.token, id)).status).toBe(404);
    expect((await webhooks.list(admin.token)).body.items.map((w: { id: string }) => w.id)).not.toContain(id);

    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'webhook.delete', targetId: id } });
    expect(entry.before).toEqual({ url: `${baseUrl}/deleted/`, events: ['version.registered'], description: '' });
    expect(JSON.stringify([entry.before, entry.after])).not.toContain(created.body.secret);

    const name = await newModel();
    expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);
    expect(await db().webhookDelivery.count({ where: { endpointId: id } })).toBe(0);
    expect(requestsTo('/deleted/')).toEqual([]);
  });
});

describe('delivering events', () => {
  it('POSTs subscribed events with the payload and a valid signature; unsubscribed events are not sent', async () => {
    const created = await webhooks.create(admin.token, { url: `${baseUrl}/deliver/`, events: ['version.registered', 'release.live'] });
    const { webhook, secret } = created.body;
    const name = await newModel();
    expect((await api.registerVersion(engineer.token, name, { metrics: { accuracy: 0.9 } })).status).toBe(201);

    const request = await waitFor(() => requestsTo('/deliver/').find((r) => JSON.parse(r.body).data?.model === name));
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-modeldeck-event']).toBe('version.registered');
    const payload = JSON.parse(request.body);
    expect(payload).toEqual({
      id: expect.any(String),
      event: 'version.registered',
      occurredAt: expect.any(String),
      data: { model: name, version: 1, registeredBy: engineer.user.email },
    });
    const signature = request.headers['x-modeldeck-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, request.body, signature)).toBe(true);
    expect(verifySignature('wrong-secret', request.body, signature)).toBe(false);
    expect(verifySignature(secret, request.body.replace(name, 'tampered'), signature)).toBe(false);
    expect(signature).toContain(`t=${request.headers['x-modeldeck-timestamp']},`);

    const delivery = await waitFor(async () => {
      const row = await db().webhookDelivery.findUniqueOrThrow({ where: { id: request.headers['x-modeldeck-delivery'] as string } });
      return row.status === 'delivered' ? row : null;
    });
    expect(delivery).toMatchObject({ endpointId: webhook.id, event: 'version.registered', attempts: 1, lastStatus: 200, lastError: null });
    expect(delivery.deliveredAt).not.toBeNull();

    // release.live is subscribed too; promotion.requested/approved are not.
    expect((await api.requestPromotion(engineer.token, name, 1, { environment: 'development' })).status).toBe(201);
    await waitUntilLive(engineer.token, name, 'development', 1);
    const live = await waitFor(() => requestsTo('/deliver/').find((r) => r.headers['x-modeldeck-event'] === 'release.live' && JSON.parse(r.body).data.model === name));
    expect(JSON.parse(live.body).data).toMatchObject({ model: name, version: 1, environment: 'development', replacedVersion: null });
    expect(verifySignature(secret, live.body, live.headers['x-modeldeck-signature'] as string)).toBe(true);
    const events = await db().webhookDelivery.findMany({ where: { endpointId: webhook.id }, select: { event: true } });
    expect(events.map((e) => e.event).sort()).toEqual(['release.live', 'version.registered']);
  });

  it('retries a delivery the receiver refused (500) until it is accepted, with the same delivery id', async () => {
    const path = `/fail-1/${randomUUID()}/`;
    const created = await webhooks.create(admin.token, { url: `${baseUrl}${path}`, events: ['version.registered'] });
    const { webhook, secret } = created.body;
    const name = await newModel();
    expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);

    // First attempt refused: the log says so while the retry waits.
    const afterFirst = await waitFor(async () => {
      const page = await webhooks.deliveries(admin.token, webhook.id);
      const item = page.body.items?.[0];
      return item?.attempts >= 1 ? item : null;
    });
    // The retry comes at least a second later (MODELDECK_JOB_RETRY_DELAY_SECONDS=1), so it is seen pending.
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500', deliveredAt: null });

    const delivered = await waitFor(async () => {
      const page = await webhooks.deliveries(admin.token, webhook.id);
      return page.body.items?.[0]?.status === 'delivered' ? page.body.items[0] : null;
    }, 20_000);
    expect(delivered.attempts).toBeGreaterThanOrEqual(2);
    expect(delivered).toMatchObject({ event: 'version.registered', lastStatus: 200, lastError: null });
    expect(delivered.deliveredAt).toEqual(expect.any(String));

    const attempts = requestsTo(path);
    expect(attempts.length).toBe(delivered.attempts);
    // At least once: every attempt carries the same delivery id (receivers dedupe on it), and each is signed.
    expect(new Set(attempts.map((r) => r.headers['x-modeldeck-delivery']))).toEqual(new Set([delivered.id]));
    for (const attempt of attempts) expect(verifySignature(secret, attempt.body, attempt.headers['x-modeldeck-signature'] as string)).toBe(true);
  });

  it('marks a delivery failed after its last attempt', async () => {
    const path = `/always-500/${randomUUID()}/`;
    const created = await webhooks.create(admin.token, { url: `${baseUrl}${path}`, events: ['version.registered'] });
    const endpointId = created.body.webhook.id;
    const delivery = await db().webhookDelivery.create({
      data: { endpointId, event: 'version.registered', payload: { id: randomUUID(), event: 'version.registered', data: {} } },
    });
    // The queue calls the handler with `final` on its last retry; do so directly.
    await expect(deliverWebhook(delivery.id, { final: true })).rejects.toThrow(/HTTP 500/);
    const row = await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 500, lastError: 'HTTP 500', deliveredAt: null });
    const listed = await webhooks.deliveries(admin.token, endpointId, '?status=failed');
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([delivery.id]);
  });

  it('records network errors too (nothing listening)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const created = await webhooks.create(admin.token, { url: `http://127.0.0.1:${port}/gone`, events: ['version.registered'] });
    const delivery = await db().webhookDelivery.create({
      data: { endpointId: created.body.webhook.id, event: 'version.registered', payload: { id: randomUUID() } },
    });
    await expect(deliverWebhook(delivery.id, { final: false })).rejects.toThrow();
    const row = await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
    // The cause, not undici's bare "fetch failed".
    expect(row.lastError).toBe(`Connection refused by 127.0.0.1:${port}.`);
  });

  it('names a host that does not resolve', async () => {
    const created = await webhooks.create(admin.token, { url: 'http://no-such-host.invalid/hook', events: ['version.registered'] });
    expect(created.status).toBe(201);
    const delivery = await db().webhookDelivery.create({
      data: { endpointId: created.body.webhook.id, event: 'version.registered', payload: { id: randomUUID() } },
    });
    await expect(deliverWebhook(delivery.id, { final: false })).rejects.toThrow();
    const row = await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row.lastError).toMatch(/^DNS (name not found: no-such-host\.invalid\.|lookup failed for no-such-host\.invalid)/);
  });
});

describe('internal addresses', () => {
  afterEach(() => {
    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  });

  const refused = async (url: string) => {
    const response = await webhooks.create(admin.token, { url, events: ['version.registered'] });
    expect(response.status, url).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors?.url, url).toEqual([expect.any(String)]);
    return response.body.errors.url[0] as string;
  };

  it('refuses loopback and private addresses, in their odd spellings too, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is on', async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'false';
    const spellings = [
      'http://localhost:8080/',
      'http://LOCALHOST./',
      'http://127.0.0.1/',
      'http://127.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0/',
      'http://0.0.0.0:5432/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://[fc00::1]/',
    ];
    for (const url of spellings) await refused(url);
    expect(await refused('http://127.1/')).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS');
    expect(await db().webhookEndpoint.count()).toBe(0);

    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
    expect((await webhooks.create(admin.token, { url: 'http://127.1/', events: ['version.registered'] })).status).toBe(201);
  });

  it('refuses link-local and cloud metadata addresses even when private networks are allowed', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://169.254.1.1/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
      'http://100.100.100.200/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://metadata.google.internal./',
      'http://0xa9fea9fe/',
    ]) {
      expect(await refused(url)).toMatch(/never allowed/);
    }
  });

  it('refuses credentials in the URL and never echoes the password', async () => {
    const response = await webhooks.create(admin.token, { url: 'https://ci:hunter2-secret@ci.example.com/hook', events: ['version.registered'] });
    expect(response.status).toBe(422);
    expect(response.body.errors.url[0]).toMatch(/user name and password/);
    expect(response.text).not.toContain('hunter2-secret');
  });

  it('hides the password of an endpoint stored before credentials were refused', async () => {
    const endpoint = await db().webhookEndpoint.create({
      data: { url: 'https://ci:hunter2-secret@ci.example.com/hook', events: ['version.registered'], description: '', secret: 'x' },
    });
    const list = await webhooks.list(admin.token);
    expect(list.text).not.toContain('hunter2-secret');
    expect(list.body.items.find((w: { id: string }) => w.id === endpoint.id).url).toBe('https://ci:***@ci.example.com/hook');
  });

  it('checks the addresses a name resolves to at delivery time, and does not connect to a refused one', async () => {
    const path = `/rebound/${randomUUID()}/`;
    const url = `${baseUrl.replace('127.0.0.1', 'localhost')}${path}`;
    const created = await webhooks.create(admin.token, { url, events: ['version.registered'] });
    expect(created.status).toBe(201);
    // The name was fine when subscribed; now it is not (as if DNS had been pointed inside).
    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'false';
    const delivery = await db().webhookDelivery.create({
      data: { endpointId: created.body.webhook.id, event: 'version.registered', payload: { id: randomUUID() } },
    });
    await expect(deliverWebhook(delivery.id, { final: true })).rejects.toThrow(/Address not allowed/);
    const row = await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row).toMatchObject({ status: 'failed', lastStatus: null });
    expect(row.lastError).toMatch(/^Address not allowed: localhost resolves to (127\.0\.0\.1|::1): .*loopback/);
    expect(requestsTo(path)).toEqual([]);
  });
});

describe('the delivery log API', () => {
  it('lists deliveries newest first with status, attempts and timestamps, paged by cursor and filtered by status', async () => {
    const created = await webhooks.create(admin.token, { url: `${baseUrl}/log/`, events: [...WEBHOOK_EVENTS] });
    const { webhook } = created.body;
    const name = await newModel();
    for (let i = 0; i < 3; i++) expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);
    await waitFor(async () => (await db().webhookDelivery.count({ where: { endpointId: webhook.id, status: 'delivered' } })) === 3);

    const all = await webhooks.deliveries(admin.token, webhook.id);
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items).toHaveLength(3);
    expect(all.body.items.map((d: { payload: { data: { version: number } } }) => d.payload.data.version)).toEqual([3, 2, 1]);
    expect(all.body.items[0]).toEqual({
      id: expect.any(String),
      event: 'version.registered',
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
      createdAt: expect.any(String),
      lastAttemptAt: expect.any(String),
      deliveredAt: expect.any(String),
      payload: expect.objectContaining({ event: 'version.registered' }),
    });

    const first = await webhooks.deliveries(admin.token, webhook.id, '?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await webhooks.deliveries(admin.token, webhook.id, `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((d: { id: string }) => d.id)).toEqual(all.body.items.map((d: { id: string }) => d.id));

    expect((await webhooks.deliveries(admin.token, webhook.id, '?status=pending')).body.items).toEqual([]);
    expect((await webhooks.deliveries(admin.token, webhook.id, '?status=delivered')).body.items).toHaveLength(3);
    expect((await webhooks.deliveries(admin.token, webhook.id, '?status=lost')).status).toBe(422);
    for (const cursor of ['garbage', `${new Date().toISOString()}|${'-'.repeat(36)}`, `later|${randomUUID()}`]) {
      expect((await webhooks.deliveries(admin.token, webhook.id, `?cursor=${encodeURIComponent(cursor)}`)).status, cursor).toBe(400);
    }
    expect((await webhooks.deliveries(admin.token, randomUUID())).status).toBe(404);
    expect((await webhooks.deliveries(admin.token, 'not-a-uuid')).status).toBe(404);
  });
});
