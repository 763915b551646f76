/**
 * The dashboard side of streaming: an admin gives an environment's model-server backend a
 * NATS JetStream binding (REST, audited); a rollout hands it to the real model server with the
 * traffic split, so predictions flow from the stream, and the model page's lag endpoint reports
 * the consumer (pending, ack pending, connection) as the model server sees it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { GET as streamingRoute } from '@/app/api/v1/models/[name]/environments/[environment]/streaming/route';
import { db } from '@/lib/db';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { call, createTestUser, waitFor } from '../helpers';
import { api, waitUntilLive } from '../registry-api';
import { request, startModelServer, waitUntilReady, type RunningModelServer } from './model-server-harness';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ENV = 'development';
type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
let server: RunningModelServer;
let nc: NatsConnection;
let artifactDir: string;
const suffix = randomBytes(4).toString('hex');
const STREAM = `TEST_BINDING_${suffix}`;
const PREFIX = `binding${suffix}`;

function putBackend(json: object) {
  return call(putBackendRoute, { path: `/api/v1/environments/${ENV}/backend`, method: 'PUT', token: admin.token, json, params: { environment: ENV } });
}

function lag(token: string, model: string) {
  return call(streamingRoute, { path: `/api/v1/models/${model}/environments/${ENV}/streaming`, token, params: { name: model, environment: ENV } });
}

beforeAll(async () => {
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS = '1';
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  [admin, engineer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer'])]);
  server = await startModelServer();
  await waitUntilReady(server);
  nc = await connect({ servers: NATS_URL });
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  await server?.stop();
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(STREAM).catch(() => undefined);
  await nc.close();
  await rm(artifactDir, { recursive: true, force: true });
});

describe('streaming binding of an environment', () => {
  it('refuses bad streaming settings with a 422 naming the field', async () => {
    const response = await putBackend({ type: 'local', config: { url: server.url, streaming: { natsUrl: 'http://nats', subjectPrefix: 'a..b' } }, secret: server.token });
    expect(response.status).toBe(422);
    expect(response.body.detail).toMatch(/natsUrl must be a nats:\/\/ URL/);
    expect(response.body.detail).toMatch(/subjectPrefix/);
  });

  it('is saved and audited, reaches the model server with the rollout, and the lag endpoint reports the consumer', async () => {
    const saved = await putBackend({ type: 'local', config: { url: server.url, streaming: { stream: STREAM, subjectPrefix: PREFIX } }, secret: server.token });
    expect(saved.status, saved.text).toBe(200);
    // The NATS URL left out takes the default (NATS_URL, else the broker on this machine).
    expect(saved.body.config.streaming).toEqual({ natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', stream: STREAM, subjectPrefix: PREFIX, ackWaitSeconds: 30 });
    const audit = await db().auditEntry.findFirstOrThrow({ where: { action: 'environment.backend.configure', targetId: ENV }, orderBy: { seq: 'desc' } });
    expect((audit.after as { config: { streaming: { stream: string } } }).config.streaming.stream).toBe(STREAM);

    const model = `streamed-${suffix}`;
    expect((await api.createModel(engineer.token, { name: model, task: 'classification' })).status).toBe(201);
    expect((await api.registerVersion(engineer.token, model, {})).status).toBe(201);
    expect((await api.upload(engineer.token, model, 1, writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b'], weights: [1, -1], bias: 0 }))).status).toBe(200);
    expect((await lag(engineer.token, model)).body).toMatchObject({ configured: true, reachable: false });
    expect((await api.requestPromotion(engineer.token, model, 1, { environment: ENV })).status).toBe(201);
    await waitUntilLive(engineer.token, model, ENV, 1, 30_000);

    const binding = await request(server, 'GET', `/manage/environments/${ENV}/models/${model}/streaming`);
    expect(binding.status).toBe(200);
    expect(binding.body.subjects.requests).toBe(`${PREFIX}.${ENV}.${model}.requests`);
    const connected = await waitFor(async () => {
      const body = (await lag(engineer.token, model)).body;
      return body.connection === 'connected' ? body : null;
    }, 20_000);
    expect(connected).toMatchObject({ configured: true, reachable: true, pending: 0, ackPending: 0, lastError: null });

    const js = nc.jetstream();
    for (let i = 0; i < 5; i++) {
      await js.publish(`${PREFIX}.${ENV}.${model}.requests`, JSON.stringify({ id: `q${i}`, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 2], data: [i, 1] }] }));
    }
    const drained = await waitFor(async () => {
      const body = (await lag(engineer.token, model)).body;
      return body.processed === 5 && body.pending === 0 && body.ackPending === 0 ? body : null;
    }, 20_000);
    expect(drained.deadLettered).toBe(0);

    // Viewers read it too; an unknown model is a 404.
    const viewer = await createTestUser(['viewer']);
    expect((await lag(viewer.token, model)).status).toBe(200);
    expect((await lag(viewer.token, 'no-such-model')).status).toBe(404);
  });
});
