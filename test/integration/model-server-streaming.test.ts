/**
 * Streaming through the real NATS JetStream server at 127.0.0.1:4222 (NATS_URL overrides) and
 * the real model server (child process, random port). Each test uses its own stream and
 * subject prefix. The shared broker cannot be stopped from a test, so "broker down" is a TCP
 * relay in front of it that the test closes and reopens: the model server sees exactly what a
 * broker outage looks like (refused connections, then a dropped socket).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AckPolicy, connect, DeliverPolicy, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as predictionsRoute } from '@/app/api/v1/predictions/route';
import { db } from '@/lib/db';
import { closeMonitoringPool } from '@/lib/server/monitoring/pool';
import { serveRoutes } from '../http-adapter';
import { createTestUser, rawQuery, waitFor } from '../helpers';
import { api } from '../registry-api';
import { loadVersion, request, setTraffic, startModelServer, waitUntilReady, writeModelArtifact, type RunningModelServer } from './model-server-harness';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const NATS_PORT = Number(new URL(NATS_URL.replace(/^nats:/, 'http:')).port || 4222);
const NATS_HOST = new URL(NATS_URL.replace(/^nats:/, 'http:')).hostname;
const WEIGHTS = [0.5, -1];
const BIAS = 0.25;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

let nc: NatsConnection;
let jsm: JetStreamManager;
let artifact: Awaited<ReturnType<typeof writeModelArtifact>>;
const streams: string[] = [];
const running: RunningModelServer[] = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  nc = await connect({ servers: NATS_URL });
  jsm = await nc.jetstreamManager();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'streaming-'));
  artifact = await writeModelArtifact(dir, 'v1.onnx', { kind: 'logistic', featureNames: ['age', 'income'], weights: WEIGHTS, bias: BIAS });
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const close of closers) await close();
  for (const stream of streams) await jsm.streams.delete(stream).catch(() => undefined);
  await nc.close();
  await closeMonitoringPool();
});

function unique() {
  const suffix = randomBytes(4).toString('hex');
  const stream = `TEST_STREAMING_${suffix}`;
  streams.push(stream);
  return { stream, prefix: `test${suffix}` };
}

async function serve(model: string, env: Record<string, string> = {}, stateDir?: string) {
  const server = await startModelServer({ env, stateDir });
  running.push(server);
  await waitUntilReady(server);
  return server;
}

async function deploy(server: RunningModelServer, model: string) {
  expect((await loadVersion(server, 'production', model, '1', { artifactUrl: artifact.url, sha256: artifact.sha256, task: 'classification' })).status).toBe(200);
  expect((await setTraffic(server, 'production', model, { routes: [{ version: '1', percent: 100 }] })).status).toBe(200);
}

function bind(server: RunningModelServer, model: string, binding: object) {
  return request(server, 'PUT', `/manage/environments/production/models/${model}/streaming`, binding);
}

function streamingStatus(server: RunningModelServer, model: string) {
  return request(server, 'GET', `/manage/environments/production/models/${model}/streaming`);
}

function inferRequest(id: string, row: number[]) {
  return JSON.stringify({ id, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, row.length], data: row }] });
}

async function publishRequests(subject: string, count: number, from = 0) {
  const js = nc.jetstream();
  for (let i = from; i < from + count; i++) await js.publish(subject, inferRequest(`r-${i}`, [i % 50, i % 3]));
}

/** Every message the stream holds on `subject`, read with a throwaway consumer. */
async function readSubject(stream: string, subject: string): Promise<Array<Record<string, unknown>>> {
  const name = `reader_${randomBytes(4).toString('hex')}`;
  await jsm.consumers.add(stream, { name, filter_subject: subject, ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, inactive_threshold: 60_000_000_000 });
  const consumer = await nc.jetstream().consumers.get(stream, name);
  const { num_pending } = await consumer.info();
  const out: Array<Record<string, unknown>> = [];
  if (num_pending > 0) {
    const batch = await consumer.fetch({ max_messages: num_pending, expires: 5000 });
    for await (const message of batch) {
      out.push(message.json());
      if (out.length === num_pending) break;
    }
  }
  await jsm.consumers.delete(stream, name).catch(() => undefined);
  return out;
}

async function waitForCount(stream: string, subject: string, count: number, timeoutMs = 20_000) {
  return waitFor(async () => {
    const info = await jsm.streams.info(stream, { subjects_filter: subject }).catch(() => null);
    const stored = info?.state.subjects?.[subject] ?? 0;
    return stored >= count ? stored : null;
  }, timeoutMs, 100);
}

/** A TCP relay to the broker that can be cut (an outage) and restored on the same port. */
async function brokerRelay() {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const relay = {
    port,
    url: `nats://127.0.0.1:${port}`,
    async up() {
      server = net.createServer((client) => {
        const upstream = net.connect(NATS_PORT, NATS_HOST);
        sockets.add(client);
        sockets.add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async down() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    },
  };
  closers.push(() => relay.down());
  return relay;
}

describe('streaming through NATS JetStream', () => {
  it('scores each request and publishes the OIP v2 answer with the same id to the predictions subject', async () => {
    const { stream, prefix } = unique();
    const model = 'fraud';
    const server = await serve(model);
    await deploy(server, model);
    const bound = await bind(server, model, { natsUrl: NATS_URL, stream, subjectPrefix: prefix });
    expect(bound.status).toBe(200);
    expect(bound.body.subjects).toMatchObject({
      requests: `${prefix}.production.${model}.requests`,
      predictions: `${prefix}.production.${model}.predictions`,
      deadLetter: `${prefix}.production.${model}.dead-letter`,
    });
    await waitFor(async () => ((await streamingStatus(server, model)).body.connection === 'connected' ? true : null));

    await publishRequests(`${prefix}.production.${model}.requests`, 5);
    await waitForCount(stream, `${prefix}.production.${model}.predictions`, 5);
    const predictions = await readSubject(stream, `${prefix}.production.${model}.predictions`);
    expect(predictions.map((p) => p.id).sort()).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4']);
    for (const p of predictions) {
      const i = Number(String(p.id).slice(2));
      expect(p).toMatchObject({ model_name: model, model_version: '1' });
      const probability = (p.outputs as Array<{ name: string; data: number[] }>).find((o) => o.name === 'probability')!;
      expect(probability.data.at(-1)).toBeCloseTo(sigmoid((i % 50) * WEIGHTS[0]! + (i % 3) * WEIGHTS[1]! + BIAS), 5);
    }
    const status = await waitFor(async () => {
      const body = (await streamingStatus(server, model)).body;
      return body.pending === 0 && body.ackPending === 0 ? body : null;
    });
    expect(status).toMatchObject({ connection: 'connected', processed: 5, deadLettered: 0, lastError: null });
  });

  it('sends requests it cannot score to the dead-letter subject with the error, and keeps going', async () => {
    const { stream, prefix } = unique();
    const model = 'churn';
    const server = await serve(model);
    await deploy(server, model);
    expect((await bind(server, model, { natsUrl: NATS_URL, stream, subjectPrefix: prefix })).status).toBe(200);
    await waitFor(async () => ((await streamingStatus(server, model)).body.connection === 'connected' ? true : null));

    const js = nc.jetstream();
    const requests = `${prefix}.production.${model}.requests`;
    await js.publish(requests, '{"id": "broken", ');
    await js.publish(requests, JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 2], data: [1, 2] }] }));
    await js.publish(requests, JSON.stringify({ id: 'wrong-input', inputs: [{ name: 'Y', datatype: 'FP32', shape: [1, 2], data: [1, 2] }] }));
    await js.publish(requests, inferRequest('good', [10, 1]));

    await waitForCount(stream, `${prefix}.production.${model}.dead-letter`, 3);
    await waitForCount(stream, `${prefix}.production.${model}.predictions`, 1);
    const dead = await readSubject(stream, `${prefix}.production.${model}.dead-letter`);
    expect(dead).toHaveLength(3);
    expect(dead[0]).toMatchObject({ id: null, request: '{"id": "broken", ' });
    expect(String(dead[0]!.error)).toMatch(/malformed JSON/);
    expect(String(dead[1]!.error)).toMatch(/needs an "id"/);
    expect(dead[2]).toMatchObject({ id: 'wrong-input' });
    expect(String(dead[2]!.error)).toMatch(/"Y"|X/);
    const predictions = await readSubject(stream, `${prefix}.production.${model}.predictions`);
    expect(predictions.map((p) => p.id)).toEqual(['good']);
    const status = await waitFor(async () => {
      const body = (await streamingStatus(server, model)).body;
      return body.ackPending === 0 && body.pending === 0 ? body : null;
    });
    expect(status).toMatchObject({ processed: 1, deadLettered: 3 });
  });

  it('resumes from its durable consumer after a restart: nothing is lost, nothing is scored twice', async () => {
    const { stream, prefix } = unique();
    const model = 'demand';
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'streaming-state-'));
    const first = await serve(model, {}, stateDir);
    await deploy(first, model);
    expect((await bind(first, model, { natsUrl: NATS_URL, stream, subjectPrefix: prefix, ackWaitSeconds: 5 })).status).toBe(200);
    await waitFor(async () => ((await streamingStatus(first, model)).body.connection === 'connected' ? true : null));
    const requests = `${prefix}.production.${model}.requests`;
    const predictions = `${prefix}.production.${model}.predictions`;

    await publishRequests(requests, 200);
    await waitForCount(stream, predictions, 50);
    await first.stop(); // SIGTERM while requests are still flowing
    const afterStop = (await jsm.streams.info(stream, { subjects_filter: predictions })).state.subjects?.[predictions] ?? 0;
    await publishRequests(requests, 100, 200); // published while no server is up

    const second = await serve(model, {}, stateDir); // no management call: the binding comes back from state.json
    const status = await streamingStatus(second, model);
    expect(status.status).toBe(200);
    await waitForCount(stream, predictions, 300, 30_000);
    const all = await readSubject(stream, predictions);
    const ids = all.map((p) => String(p.id));
    expect(new Set(ids).size).toBe(300);
    expect(ids).toHaveLength(300);
    expect(afterStop).toBeLessThan(300);
    const consumer = await jsm.consumers.info(stream, `modeldeck-production-${model}`);
    expect(consumer.num_pending).toBe(0);
    // The second server scored only what the first had not acknowledged.
    expect((await streamingStatus(second, model)).body.processed).toBe(300 - afterStop);
  });

  it('reconnects with backoff while the broker is down, says so in its status, and catches up afterwards', async () => {
    const { stream, prefix } = unique();
    const model = 'fraud';
    const relay = await brokerRelay();
    const server = await serve(model);
    await deploy(server, model);
    // The broker is unreachable from the start.
    expect((await bind(server, model, { natsUrl: relay.url, stream, subjectPrefix: prefix })).status).toBe(200);
    const down = await waitFor(async () => {
      const body = (await streamingStatus(server, model)).body;
      return body.attempts >= 2 ? body : null;
    });
    expect(down.connection).toMatch(/connecting|reconnecting/);
    expect(down.lastError).toBeTruthy();
    expect(down.pending).toBeNull();

    await relay.up();
    await waitFor(async () => ((await streamingStatus(server, model)).body.connection === 'connected' ? true : null), 20_000);
    const requests = `${prefix}.production.${model}.requests`;
    const predictions = `${prefix}.production.${model}.predictions`;
    await publishRequests(requests, 10);
    await waitForCount(stream, predictions, 10);

    // An outage while connected: the socket drops and the port refuses for a while.
    await relay.down();
    const reconnecting = await waitFor(async () => {
      const body = (await streamingStatus(server, model)).body;
      return body.connection === 'reconnecting' ? body : null;
    });
    expect(reconnecting.lastError).toBeTruthy();
    await publishRequests(requests, 10, 10); // queued in the stream meanwhile
    await new Promise((r) => setTimeout(r, 1500));
    await relay.up();
    await waitForCount(stream, predictions, 20, 30_000);
    const ids = (await readSubject(stream, predictions)).map((p) => String(p.id));
    expect(new Set(ids).size).toBe(20);
    expect((await streamingStatus(server, model)).body.connection).toBe('connected');
  });

  it('reports streamed predictions to monitoring like REST ones', async () => {
    const { stream, prefix } = unique();
    const engineer = await createTestUser(['engineer']);
    const model = `streamed-${randomBytes(3).toString('hex')}`;
    expect((await api.createModel(engineer.token, { name: model, task: 'classification' })).status).toBe(201);
    expect((await api.registerVersion(engineer.token, model, { features: [{ name: 'age', type: 'numeric' }, { name: 'income', type: 'numeric' }] })).status).toBe(201);
    const dashboard = await serveRoutes([['POST', '/api/v1/predictions', predictionsRoute]]);
    closers.push(() => dashboard.close());
    const server = await serve(model, { MODEL_SERVER_REPORT_URL: dashboard.url, MODEL_SERVER_REPORT_TOKEN: engineer.token, MODEL_SERVER_REPORT_INTERVAL_MS: '50' });
    await deploy(server, model);
    expect((await bind(server, model, { natsUrl: NATS_URL, stream, subjectPrefix: prefix })).status).toBe(200);
    await waitFor(async () => ((await streamingStatus(server, model)).body.connection === 'connected' ? true : null));
    await publishRequests(`${prefix}.production.${model}.requests`, 3);

    const { id: modelId } = await db().model.findUniqueOrThrow({ where: { name: model } });
    const rows = await waitFor(async () => {
      const result = await rawQuery(`SELECT record_id, num_values, pred_num FROM monitoring_predictions WHERE model_id = '${modelId}' ORDER BY record_id`);
      return result.rows.length === 3 ? (result.rows as Array<{ record_id: string; num_values: number[]; pred_num: number }>) : null;
    }, 20_000);
    expect(rows.map((r) => r.record_id)).toEqual(['r-0', 'r-1', 'r-2']);
    rows.forEach((row, i) => {
      expect(row.num_values.map(Number)).toEqual([i, i % 3]);
      expect(row.pred_num).toBeCloseTo(sigmoid(i * WEIGHTS[0]! + (i % 3) * WEIGHTS[1]! + BIAS), 5);
    });
  });

  it('refuses a binding with bad settings with a 400 naming the field, and unbinds', async () => {
    const model = 'fraud';
    const server = await serve(model);
    const bad = await bind(server, model, { natsUrl: 'http://127.0.0.1:4222', stream: 'has space' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/natsUrl/);
    expect(bad.body.error).toMatch(/stream/);
    expect((await request(server, 'DELETE', `/manage/environments/production/models/${model}/streaming`)).status).toBe(404);
    const { stream, prefix } = unique();
    expect((await bind(server, model, { natsUrl: NATS_URL, stream, subjectPrefix: prefix })).status).toBe(200);
    expect((await request(server, 'GET', '/manage/streaming')).body.bindings).toHaveLength(1);
    expect((await request(server, 'DELETE', `/manage/environments/production/models/${model}/streaming`)).status).toBe(200);
    expect((await streamingStatus(server, model)).status).toBe(404);
  });
});
