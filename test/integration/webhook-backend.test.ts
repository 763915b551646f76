/**
 * The webhook deployment backend end to end: the real deploy job (pg-boss) POSTs a signed
 * deployment request to a loopback receiver started here, and the receiver's signed callbacks
 * (through the real route handler) make the release live or failed; no callback within the
 * configured timeout fails it through a delayed job. Refusals are audited.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { POST as callbackRoute } from '@/app/api/v1/releases/[id]/callback/route';
import { db } from '@/lib/db';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { signPayload, verifySignature } from '@/lib/server/webhooks/sign-payload';
import { call, createTestUser, waitFor } from '../helpers';
import { api, waitUntilLive } from '../registry-api';

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User;
let engineer: User;
let artifactDir: string;
const ENV = 'development';
const SECRET = randomBytes(24).toString('base64url');

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}
const received: Received[] = [];
let answerWith = 202;
let receiver: http.Server;
let receiverUrl: string;

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

async function newModel(versions = 1) {
  const name = unique('hooked');
  expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
  for (let v = 1; v <= versions; v++) {
    expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);
    const bytes = writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b'], weights: [v, 0], bias: 0 });
    expect((await api.upload(engineer.token, name, v, bytes)).status).toBe(200);
  }
  return name;
}

async function configureWebhook(config: Record<string, unknown>) {
  const response = await call(putBackendRoute, {
    path: `/api/v1/environments/${ENV}/backend`,
    method: 'PUT',
    token: admin.token,
    json: { type: 'webhook', config: { url: receiverUrl, callbackBaseUrl: 'http://127.0.0.1:3000', ...config }, secret: SECRET },
    params: { environment: ENV },
  });
  expect(response.status, response.text).toBe(200);
}

async function promote(name: string, version: number) {
  const requested = await api.requestPromotion(engineer.token, name, version, { environment: ENV });
  expect(requested.status, requested.text).toBe(201);
  return requested.body.id as string;
}

/** The deployment request the receiver got for a release. */
function requestFor(releaseId: string) {
  return waitFor(() => received.find((r) => r.json.type === 'deploy' && r.json.releaseId === releaseId) ?? null, 20_000);
}

function sendCallback(releaseId: string, payload: object, secret = SECRET) {
  const body = JSON.stringify(payload);
  return call(callbackRoute, {
    path: `/api/v1/releases/${releaseId}/callback`,
    method: 'POST',
    rawBody: body,
    headers: { 'content-type': 'application/json', 'x-modeldeck-signature': signPayload(secret, body, Math.floor(Date.now() / 1000)) },
    params: { id: releaseId },
  });
}

async function auditActions(releaseId: string) {
  const entries = await db().auditEntry.findMany({ where: { targetType: 'release', targetId: releaseId }, orderBy: { seq: 'asc' } });
  return entries.map((e) => ({ action: e.action, after: e.after as Record<string, unknown> }));
}

async function settled(id: string) {
  return waitFor(async () => {
    const release = await db().release.findUniqueOrThrow({ where: { id } });
    return release.status === 'live' || release.status === 'failed' ? release : null;
  }, 30_000);
}

beforeAll(async () => {
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS = '1';
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  [admin, engineer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer'])]);
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body, json: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(answerWith, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/deploy`;
  await configureWebhook({});
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopBoss();
  await new Promise((resolve) => receiver.close(resolve));
  await rm(artifactDir, { recursive: true, force: true });
});

describe('webhook deployment backend', () => {
  it('POSTs a signed deployment request; progressing then succeeded callbacks make the release live', async () => {
    const name = await newModel();
    const releaseId = await promote(name, 1);
    const request = await requestFor(releaseId);

    expect(verifySignature(SECRET, request.body, String(request.headers['x-modeldeck-signature']))).toBe(true);
    expect(verifySignature('another secret', request.body, String(request.headers['x-modeldeck-signature']))).toBe(false);
    expect(request.headers['x-modeldeck-event']).toBe('deployment.deploy');
    const version = await db().modelVersion.findFirstOrThrow({ where: { model: { name }, version: 1 } });
    expect(request.json).toMatchObject({
      type: 'deploy',
      releaseId,
      environment: ENV,
      model: name,
      version: 1,
      strategy: { type: 'replace' },
      traffic: [{ version: 1, percent: 100 }],
      callbackUrl: `http://127.0.0.1:3000/api/v1/releases/${releaseId}/callback`,
    });
    expect(request.json.artifact).toMatchObject({ sha256: version.artifactSha256 });
    expect(String((request.json.artifact as { url: string }).url)).toMatch(/^(file|https?):\/\//);

    // Accepted is not done: the release waits for the callback.
    const waiting = await waitFor(async () => {
      const release = await db().release.findUniqueOrThrow({ where: { id: releaseId } });
      return (release.rollout as { phase?: string }).phase === 'awaiting_callback' ? release : null;
    });
    expect(waiting.status).toBe('deploying');

    const progressing = await sendCallback(releaseId, { status: 'progressing', reason: 'pods starting', traffic: [{ version: 1, percent: 0 }] });
    expect(progressing.status, progressing.text).toBe(200);
    expect(progressing.body).toMatchObject({ status: 'deploying', accepted: 'progressing' });

    const succeeded = await sendCallback(releaseId, { status: 'succeeded', traffic: [{ version: 1, percent: 100 }] });
    expect(succeeded.status, succeeded.text).toBe(200);
    expect(succeeded.body).toMatchObject({ status: 'live', accepted: 'succeeded' });
    await waitUntilLive(engineer.token, name, ENV, 1);
    const release = await db().release.findUniqueOrThrow({ where: { id: releaseId } });
    const events = (release.rollout as { events: { message: string }[] }).events.map((e) => e.message);
    expect(events).toEqual(expect.arrayContaining(['Backend callback: progressing — pods starting (traffic: v1 0 %)', 'Backend callback: succeeded (traffic: v1 100 %)']));
    const actions = (await auditActions(releaseId)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['release.callback', 'release.live']));

    // The release is finished: a further (validly signed) callback is refused and audited.
    const late = await sendCallback(releaseId, { status: 'failed', reason: 'too late' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('release_finished');
    expect((await db().release.findUniqueOrThrow({ where: { id: releaseId } })).status).toBe('live');
    const refused = (await auditActions(releaseId)).filter((a) => a.action === 'release.callback_refused');
    expect(refused.at(-1)!.after).toMatchObject({ reason: 'release_finished', releaseStatus: 'live', callback: 'failed' });
  });

  it('a failed callback fails the release with the reason, and the previous version stays live', async () => {
    const name = await newModel(2);
    const first = await promote(name, 1);
    await requestFor(first);
    expect((await sendCallback(first, { status: 'succeeded' })).status).toBe(200);
    const second = await promote(name, 2);
    await requestFor(second);
    const failed = await sendCallback(second, { status: 'failed', reason: 'ImagePullBackOff on 3 of 3 pods' });
    expect(failed.status, failed.text).toBe(200);
    expect(failed.body).toMatchObject({ status: 'failed', accepted: 'failed' });
    const release = await db().release.findUniqueOrThrow({ where: { id: second } });
    expect(release.status).toBe('failed');
    expect(release.statusReason).toBe('The deployment backend reported a failure: ImagePullBackOff on 3 of 3 pods');
    expect((await api.environmentState(engineer.token, name, ENV)).body.liveVersion).toBe(1);
  });

  it('a bad signature is refused with 401 and audited, and changes nothing', async () => {
    const name = await newModel();
    const releaseId = await promote(name, 1);
    await requestFor(releaseId);
    const forged = await sendCallback(releaseId, { status: 'succeeded' }, 'not the secret');
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toMatch(/problem\+json/);
    const unsigned = await call(callbackRoute, { path: `/api/v1/releases/${releaseId}/callback`, method: 'POST', rawBody: '{"status":"succeeded"}', params: { id: releaseId } });
    expect(unsigned.status).toBe(401);
    expect((await db().release.findUniqueOrThrow({ where: { id: releaseId } })).status).toBe('deploying');
    const refused = (await auditActions(releaseId)).filter((a) => a.action === 'release.callback_refused');
    expect(refused.map((r) => r.after.reason)).toEqual(['bad_signature', 'bad_signature']);

    const invalid = await sendCallback(releaseId, { status: 'done' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toMatch(/progressing/);
    expect((await sendCallback(releaseId, { status: 'succeeded' })).status).toBe(200);
  });

  it('no callback within the configured timeout fails the release with that reason (a delayed job)', async () => {
    await configureWebhook({ callbackTimeoutSeconds: 5 });
    try {
      const name = await newModel();
      const releaseId = await promote(name, 1);
      await requestFor(releaseId);
      const release = await settled(releaseId);
      expect(release.status).toBe('failed');
      expect(release.statusReason).toMatch(/^No callback from the webhook backend within the configured timeout/);
      expect((await auditActions(releaseId)).map((a) => a.action)).toContain('release.fail');
      expect((await sendCallback(releaseId, { status: 'succeeded' })).status).toBe(409);
    } finally {
      await configureWebhook({});
    }
  });

  it('a receiver that refuses the request (4xx) fails the release at once with its answer', async () => {
    answerWith = 400;
    try {
      const name = await newModel();
      const releaseId = await promote(name, 1);
      const release = await settled(releaseId);
      expect(release.status).toBe('failed');
      expect(release.statusReason).toMatch(/refused the deployment request: .*answered 400/);
    } finally {
      answerWith = 202;
    }
  });
});
