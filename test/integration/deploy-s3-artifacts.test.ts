import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { db } from '@/lib/db';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { artifactSourceFor } from '@/lib/server/deployments/artifact-source';
import { local } from '@/lib/server/deployments/backends/local';
import { BackendError } from '@/lib/server/deployments/backends/types';
import { createEnvironment } from '@/lib/server/environments/create-environment';
import { stopBoss } from '@/lib/server/jobs/queue';
import { startWorkers } from '@/lib/server/jobs/start-workers';
import { PRESIGNED_URL_SECONDS } from '@/lib/server/registry/artifact-stores/s3';
import { call, createTestUser, waitFor } from '../helpers';
import { api, waitUntilLive } from '../registry-api';
import { inferenceServiceValidator, startKubeFake, type KubeFake } from './kube-fake';
import { startModelServer, waitUntilReady, type RunningModelServer } from './model-server-harness';

// The store reads its configuration at each use: choosing it before any upload is enough.
const savedEnv = { ...process.env };
process.env.ARTIFACT_STORE = 's3';

/**
 * Deploying versions whose artifact is in the S3 artifact store: @20minutes/s3rver (which
 * verifies SigV4, presigned URLs and their expiry included) as the store, the real model
 * server behind a `local` backend, and the Kubernetes API fake for KServe manifests.
 */
type User = Awaited<ReturnType<typeof createTestUser>>;
const bucket = 'modeldeck-deploy';
const prefix = 'artifacts';
const secret = 'S3RVER';
const unique = (name: string) => `${name}-${randomBytes(3).toString('hex')}`;
const modelBytes = (w: number) => writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [w, 0, 0], bias: 0 });

let s3: S3rver;
let s3Dir: string;
let stagingDir: string;
let modelServer: RunningModelServer;
let kube: KubeFake;
let admin: User;
let engineer: User;
let environment: string;

async function putBackend(env: string, json: unknown) {
  const response = await call(putBackendRoute, { path: `/api/v1/environments/${env}/backend`, method: 'PUT', token: admin.token, json, params: { environment: env } });
  expect(response.status, response.text).toBe(200);
}

/** A model whose versions' answers tell them apart, each uploaded through the API into S3. */
async function modelInS3(weights: number[]) {
  const name = unique('s3deploy');
  expect((await api.createModel(engineer.token, { name, task: 'classification' })).status).toBe(201);
  for (const [i, w] of weights.entries()) {
    expect((await api.registerVersion(engineer.token, name, {})).status).toBe(201);
    const uploaded = await api.upload(engineer.token, name, i + 1, modelBytes(w));
    expect(uploaded.status, uploaded.text).toBe(200);
  }
  return name;
}

async function versionRows(name: string, version: number) {
  const row = await db().modelVersion.findFirstOrThrow({ where: { model: { name }, version }, include: { model: true } });
  return { model: row.model, version: row };
}

async function promote(name: string, version: number, env = environment) {
  const requested = await api.requestPromotion(engineer.token, name, version, { environment: env });
  expect(requested.status, requested.text).toBe(201);
  return requested.body.id as string;
}

async function infer(endpoint: string, model: string) {
  const response = await fetch(`${endpoint}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: [1, 0, 0] }] }),
  });
  return { status: response.status, body: (await response.json()) as { model_version?: string; outputs?: { data: number[] }[] } };
}

beforeAll(async () => {
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS = '1';
  s3Dir = await mkdtemp(path.join(tmpdir(), 'modeldeck-s3rver-'));
  stagingDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-s3-staging-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: bucket }] });
  const { port } = await s3.run();
  Object.assign(process.env, {
    ARTIFACT_DIR: stagingDir,
    S3_BUCKET: bucket,
    S3_PREFIX: prefix,
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: secret,
  });
  [admin, engineer] = await Promise.all([createTestUser(['admin']), createTestUser(['engineer'])]);
  [modelServer, kube] = await Promise.all([startModelServer(), startKubeFake()]);
  await waitUntilReady(modelServer);
  environment = unique('s3local');
  await createEnvironment(admin.ctx, { name: environment });
  await putBackend(environment, { type: 'local', config: { url: modelServer.url, timeoutSeconds: 10 }, secret: modelServer.token });
  await startWorkers({ pollingIntervalSeconds: 0.5 });
}, 60_000);

afterAll(async () => {
  await stopBoss();
  await Promise.all([modelServer?.stop(), kube?.stop(), s3?.close()]);
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  await rm(s3Dir, { recursive: true, force: true });
  await rm(stagingDir, { recursive: true, force: true });
});

describe('a version stored in S3 on the reference model server', () => {
  it('deploys through a replace rollout from a presigned URL, and inference answers', async () => {
    const name = await modelInS3([5, -5]);
    const releaseId = await promote(name, 1);
    const live = await waitUntilLive(engineer.token, name, environment, 1, 30_000);
    const first = await infer(live.endpoint, name);
    expect(first.status).toBe(200);
    expect(first.body.model_version).toBe('1');
    expect(first.body.outputs?.[0]?.data[0]).toBeGreaterThan(0.99);

    await promote(name, 2);
    await waitUntilLive(engineer.token, name, environment, 2, 30_000);
    const second = await infer(live.endpoint, name);
    expect(second.body.model_version).toBe('2');
    expect(second.body.outputs?.[0]?.data[0]).toBeLessThan(0.01);

    // The URL's signature is a credential: neither the model server's log nor the release's record carries it.
    expect(modelServer.logs.join('\n')).not.toMatch(/X-Amz-Signature/i);
    const release = await db().release.findUniqueOrThrow({ where: { id: releaseId } });
    expect(JSON.stringify(release)).not.toMatch(/X-Amz-Signature/i);
  });

  it('presigns a GET for that one object that s3rver serves without other credentials, for a bounded time', async () => {
    const name = await modelInS3([3]);
    const { model, version } = await versionRows(name, 1);
    const source = artifactSourceFor(model, version);
    const url = new URL(source.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(PRESIGNED_URL_SECONDS));
    expect(PRESIGNED_URL_SECONDS).toBe(900);
    expect(url.pathname).toBe(`/${bucket}/${prefix}/${version.artifactKey}`);
    expect(source.storageUri).toBe(`s3://${bucket}/${prefix}/${version.artifactKey}`);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex')).toBe(version.artifactSha256);
    // The signature covers the object: the same query on another key is refused.
    const other = new URL(url);
    other.pathname = `${url.pathname}-other`;
    const refused = await fetch(other);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses an expired or tampered presigned URL (S3 403), naming S3 error, without retrying', async () => {
    const name = await modelInS3([2]);
    const { model, version } = await versionRows(name, 1);
    const backend = local.create(local.configSchema.parse({ url: modelServer.url, timeoutSeconds: 10 }), modelServer.token);
    const target = { environment, model: name };

    const expired = artifactSourceFor(model, version, { date: new Date(Date.now() - (PRESIGNED_URL_SECONDS + 60) * 1000) });
    const expiredError = await backend.deploy(target, 1, expired).then(() => null, (e: unknown) => e);
    expect(expiredError).toBeInstanceOf(BackendError);
    expect((expiredError as BackendError).retryable).toBe(false);
    expect((expiredError as BackendError).message).toMatch(/answered HTTP 403 \(AccessDenied: Request has expired\)/);

    const fresh = artifactSourceFor(model, version);
    const url = new URL(fresh.url);
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', `${signature[0] === '0' ? '1' : '0'}${signature.slice(1)}`);
    const tamperedError = await backend.deploy(target, 1, { ...fresh, url: url.href }).then(() => null, (e: unknown) => e);
    expect(tamperedError).toBeInstanceOf(BackendError);
    expect((tamperedError as BackendError).retryable).toBe(false);
    expect((tamperedError as BackendError).message).toMatch(/answered HTTP 403 \(SignatureDoesNotMatch/);
    // Neither message repeats the signature.
    expect(`${(expiredError as Error).message} ${(tamperedError as Error).message}`).not.toContain('X-Amz-Signature');

    // The untouched URL loads the version.
    await backend.deploy(target, 1, fresh);
  });

  it('refuses to presign with a misconfigured store, naming the setting, for good', async () => {
    const name = await modelInS3([1]);
    const { model, version } = await versionRows(name, 1);
    delete process.env.S3_BUCKET;
    try {
      const error = (() => {
        try {
          artifactSourceFor(model, version);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).retryable).toBe(false);
      expect((error as BackendError).message).toMatch(/^s3deploy-\w+ v1's artifact is in the S3 artifact store, which cannot be used: .*S3_BUCKET is not set/);
    } finally {
      process.env.S3_BUCKET = bucket;
    }
  });

  it('fails a release whose presigned URL S3 refuses, before traffic moves, while the live version keeps serving', async () => {
    const name = await modelInS3([5, -5]);
    await promote(name, 1);
    const live = await waitUntilLive(engineer.token, name, environment, 1, 30_000);

    // URLs signed with a secret S3 does not hold: what a tampered URL looks like to S3.
    process.env.S3_SECRET_ACCESS_KEY = 'not-the-secret';
    try {
      const id = await promote(name, 2);
      const release = await waitFor(async () => {
        const found = await db().release.findUniqueOrThrow({ where: { id } });
        return found.status === 'failed' || found.status === 'live' ? found : null;
      }, 30_000);
      expect(release.status).toBe('failed');
      expect(release.statusReason).toMatch(/^Refused before any traffic moved: Model server: fetching http:\/\/127\.0\.0\.1:\d+\/modeldeck-deploy\/artifacts\/.+ answered HTTP 403 \(SignatureDoesNotMatch/);
      expect(release.statusReason).not.toContain('X-Amz');
    } finally {
      process.env.S3_SECRET_ACCESS_KEY = secret;
    }
    expect((await infer(live.endpoint, name)).body.model_version).toBe('1');
    expect((await api.environmentState(engineer.token, name, environment)).body.liveVersion).toBe(1);
  });
});

describe('a version stored in S3 on a webhook backend', () => {
  it('sends the receiver a presigned URL it can download the verified bytes from', async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
    const downloads: { status: number; sha256: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(202).end();
        const request = JSON.parse(body) as { type: string; artifact?: { url: string; sha256: string } };
        if (request.type !== 'deploy' || !request.artifact) return;
        // A receiver with no S3 credentials, as a deployer elsewhere would be.
        void fetch(request.artifact.url).then(async (response) => {
          downloads.push({ status: response.status, sha256: createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex') });
        });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const hookEnv = unique('s3hook');
      await createEnvironment(admin.ctx, { name: hookEnv });
      await putBackend(hookEnv, {
        type: 'webhook',
        config: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/deploy`, callbackBaseUrl: 'http://127.0.0.1:3000' },
        secret: randomBytes(16).toString('hex'),
      });
      const name = await modelInS3([4]);
      const { version } = await versionRows(name, 1);
      await promote(name, 1, hookEnv);
      const [download] = await waitFor(async () => (downloads.length > 0 ? downloads : null), 20_000);
      expect(download).toEqual({ status: 200, sha256: version.artifactSha256 });
    } finally {
      receiver.close();
    }
  });
});

describe('a version stored in S3 on KServe', () => {
  it('puts the s3:// storage URI, not a presigned URL, in a manifest that passes the CRD schema', async () => {
    const kserveEnv = unique('s3kserve');
    await createEnvironment(admin.ctx, { name: kserveEnv });
    await putBackend(kserveEnv, { type: 'kserve', config: { namespace: 'models', timeoutSeconds: 10 }, secret: kube.kubeconfig() });
    const name = await modelInS3([1]);
    const { version } = await versionRows(name, 1);
    const id = await promote(name, 1, kserveEnv);
    const release = await waitFor(async () => {
      const found = await db().release.findUniqueOrThrow({ where: { id } });
      return found.status === 'failed' || found.status === 'live' ? found : null;
    }, 30_000);
    expect(release.status, release.statusReason ?? '').toBe('live');

    const isvc = kube.get('models', name)!;
    const validate = inferenceServiceValidator();
    expect(validate(isvc), JSON.stringify(validate.errors)).toBe(true);
    expect(isvc.spec.predictor.model.storageUri).toBe(`s3://${bucket}/${prefix}/${version.artifactKey}`);
    expect(JSON.stringify(isvc)).not.toContain('X-Amz');
  });
});
