import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { s3ArtifactStore } from '@/lib/server/registry/artifact-stores/s3';
import { EMPTY_PAYLOAD_SHA256, encodeKeyPath, signV4, type AwsCredentials } from '@/lib/server/registry/artifact-stores/s3-signature';
import { createTestUser } from '../helpers';
import { api } from '../registry-api';

// The store reads its configuration at each use, so choosing it here, before any upload,
// is enough; the endpoint is filled in once the server has its port.
const savedEnv = { ...process.env };
process.env.ARTIFACT_STORE = 's3';

/**
 * The S3 artifact store against a real S3-compatible server on 127.0.0.1: @20minutes/s3rver,
 * which verifies AWS Signature V4 (the `s3rver` package accepts any V4 signature), with
 * its fixed S3RVER/S3RVER key pair. Everything goes through the REST handlers.
 */
const bucket = 'modeldeck-test';
const prefix = 'registry/artifacts';
const credentials: AwsCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const unique = (name: string) => `${name}-${randomBytes(3).toString('hex')}`;

let server: S3rver;
let endpoint: string;
let s3Dir: string;
let artifactDir: string;
let engineer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;

/** A request to s3rver signed with the given credentials, not through the store under test. */
async function s3(method: 'GET' | 'DELETE', objectPath: string, as = credentials) {
  const url = new URL(`${endpoint}/${bucket}${objectPath}`);
  const { headers } = signV4({ method, url, payloadSha256: EMPTY_PAYLOAD_SHA256 }, { credentials: as, region: 'us-east-1', date: new Date() });
  return fetch(url, { method, headers });
}

/** Every key in the bucket (ListObjects). */
async function bucketKeys(): Promise<string[]> {
  const response = await s3('GET', '');
  expect(response.status).toBe(200);
  return [...(await response.text()).matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => match[1]!);
}

const objectKey = (model: string, version: number, digest: string) => `${prefix}/${model}/${version}/${digest}`;

/** Files waiting in the staging directory (it may not exist yet). */
async function stagedFiles(): Promise<string[]> {
  return readdir(path.join(artifactDir, '.incoming')).catch(() => []);
}

async function newVersion(extra: Record<string, unknown> = {}) {
  const name = unique('s3');
  expect((await api.createModel(engineer.token, { name })).status).toBe(201);
  expect((await api.registerVersion(engineer.token, name, extra)).status).toBe(201);
  return name;
}

async function versionRow(name: string) {
  return db().modelVersion.findFirstOrThrow({ where: { model: { name }, version: 1 } });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  s3Dir = await mkdtemp(path.join(tmpdir(), 'modeldeck-s3rver-'));
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-s3-staging-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  Object.assign(process.env, {
    ARTIFACT_DIR: artifactDir,
    S3_BUCKET: bucket,
    S3_PREFIX: `/${prefix}/`,
    S3_ENDPOINT: endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });
  [engineer, viewer] = await Promise.all([createTestUser(['engineer']), createTestUser(['viewer'])]);
});

afterEach(async () => {
  // Whatever a test did, nothing may stay in the scratch space.
  expect(await stagedFiles()).toEqual([]);
});

afterAll(async () => {
  await server?.close();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  await rm(s3Dir, { recursive: true, force: true });
  await rm(artifactDir, { recursive: true, force: true });
});

/** Runs `body` with some variables changed, restoring them afterwards. */
async function withEnv(changes: Record<string, string | undefined>, body: () => Promise<void>) {
  const before = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(changes);
  try {
    await body();
  } finally {
    apply(before);
  }
}

describe('artifacts in an S3-compatible bucket', () => {
  it('stores the upload as one object under S3_PREFIX, records sha256 and size, and downloads identical bytes', async () => {
    const name = await newVersion({ format: 'onnx' });
    const bytes = randomBytes(3 * 1024 * 1024 + 11);
    const uploaded = await api.upload(engineer.token, name, 1, bytes);
    expect(uploaded.status, uploaded.text).toBe(200);
    expect(uploaded.body).toEqual({ sha256: sha256(bytes), size: bytes.length });

    // In the bucket, read back directly from the server.
    const key = objectKey(name, 1, sha256(bytes));
    expect(await bucketKeys()).toContain(key);
    const direct = await s3('GET', `/${encodeKeyPath(key)}`);
    expect(direct.status).toBe(200);
    expect(Buffer.from(await direct.arrayBuffer()).equals(bytes)).toBe(true);
    // Nothing kept locally besides the (empty) staging directory.
    expect(await readdir(artifactDir)).toEqual(['.incoming']);

    const row = await versionRow(name);
    expect(row).toMatchObject({ artifactKey: `${name}/1/${sha256(bytes)}`, artifactSha256: sha256(bytes), artifactSize: BigInt(bytes.length) });
    const entry = await db().auditEntry.findFirstOrThrow({ where: { action: 'version.upload_artifact', targetId: `${name}@1` } });
    expect(entry.after).toEqual({ sha256: sha256(bytes), size: bytes.length });

    const downloaded = await api.download(viewer.token, name, 1);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('content-length')).toBe(String(bytes.length));
    expect(downloaded.headers.get('x-artifact-sha256')).toBe(sha256(bytes));
    expect(downloaded.headers.get('content-disposition')).toContain(`${name}-v1.onnx`);
    expect(Buffer.from(downloaded.bytes).equals(bytes)).toBe(true);
  });

  it('refuses a sha256 mismatch (422) with no object in the bucket and no staged file left', async () => {
    const expected = randomBytes(4096);
    const name = await newVersion({ artifactSha256: sha256(expected) });

    const wrong = await api.upload(engineer.token, name, 1, randomBytes(4096));
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('sha256_mismatch');
    const header = await api.upload(engineer.token, name, 1, expected, { 'x-artifact-sha256': sha256('other bytes') });
    expect(header.status).toBe(422);

    expect((await bucketKeys()).filter((key) => key.startsWith(`${prefix}/${name}/`))).toEqual([]);
    expect(await stagedFiles()).toEqual([]);
    expect(await versionRow(name)).toMatchObject({ artifactKey: null, artifactSize: null });
    expect((await api.download(viewer.token, name, 1)).status).toBe(404);

    const right = await api.upload(engineer.token, name, 1, expected);
    expect(right.status).toBe(200);
    expect(await bucketKeys()).toContain(objectKey(name, 1, sha256(expected)));
  });

  it('fails an upload S3 refuses for its signature (wrong secret) with a 502 naming S3 and the variable, recording nothing', async () => {
    const name = await newVersion();
    const bytes = randomBytes(10_000);
    await withEnv({ S3_SECRET_ACCESS_KEY: 'not-the-secret' }, async () => {
      const response = await api.upload(engineer.token, name, 1, bytes);
      expect(response.status, response.text).toBe(502);
      expect(response.body.code).toBe('artifact_store_error');
      expect(response.body.detail).toMatch(/S3 artifact store refused to store .*HTTP 403 SignatureDoesNotMatch/);
      expect(response.body.detail).toContain('S3_SECRET_ACCESS_KEY');
    });
    // The server does check signatures: the same request signed with the wrong secret is refused.
    expect((await s3('GET', '', { ...credentials, secretAccessKey: 'not-the-secret' })).status).toBe(403);

    expect(await versionRow(name)).toMatchObject({ artifactKey: null, artifactSha256: null, artifactSize: null });
    expect(await db().auditEntry.count({ where: { action: 'version.upload_artifact', targetId: `${name}@1` } })).toBe(0);
    expect((await bucketKeys()).filter((key) => key.includes(name))).toEqual([]);
    expect(await stagedFiles()).toEqual([]);

    // With the right credentials the same upload goes through.
    expect((await api.upload(engineer.token, name, 1, bytes)).status).toBe(200);
  });

  it('names S3_ACCESS_KEY_ID when S3 does not know the access key', async () => {
    const name = await newVersion();
    await withEnv({ S3_ACCESS_KEY_ID: 'NOSUCHKEY' }, async () => {
      const response = await api.upload(engineer.token, name, 1, randomBytes(100));
      expect(response.status).toBe(502);
      expect(response.body.detail).toContain('InvalidAccessKeyId');
      expect(response.body.detail).toContain('S3_ACCESS_KEY_ID');
    });
    expect((await versionRow(name)).artifactKey).toBeNull();
  });

  it('answers 503 artifact_store_unavailable when nothing listens at S3_ENDPOINT', async () => {
    const name = await newVersion();
    await withEnv({ S3_ENDPOINT: `http://127.0.0.1:${await freePort()}` }, async () => {
      const response = await api.upload(engineer.token, name, 1, randomBytes(100));
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('artifact_store_unavailable');
      expect(response.body.detail).toMatch(/not reachable \(ECONNREFUSED\); check S3_ENDPOINT/);
    });
    expect((await versionRow(name)).artifactKey).toBeNull();
  });

  it('refuses to start an upload when the configuration is incomplete, naming each variable', async () => {
    const name = await newVersion();
    await withEnv({ S3_BUCKET: undefined, S3_SECRET_ACCESS_KEY: undefined }, async () => {
      const response = await api.upload(engineer.token, name, 1, randomBytes(100));
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('artifact_store_misconfigured');
      expect(response.body.detail).toContain('S3_BUCKET is not set');
      expect(response.body.detail).toContain('S3_SECRET_ACCESS_KEY is not set');
    });
    await withEnv({ ARTIFACT_STORE: 'ftp' }, async () => {
      const response = await api.upload(engineer.token, name, 1, randomBytes(100));
      expect(response.status).toBe(503);
      expect(response.body.detail).toContain('ARTIFACT_STORE must be `local` or `s3`');
    });
    expect((await versionRow(name)).artifactKey).toBeNull();
  });

  it('keeps exactly one object when two different uploads race for the same version', async () => {
    const name = await newVersion();
    const first = randomBytes(64 * 1024);
    const second = randomBytes(64 * 1024);
    const results = await Promise.all([api.upload(engineer.token, name, 1, first), api.upload(engineer.token, name, 1, second)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results[0]!.status === 200 ? first : second;
    expect((await bucketKeys()).filter((key) => key.startsWith(`${prefix}/${name}/`))).toEqual([objectKey(name, 1, sha256(winner))]);
    expect((await versionRow(name)).artifactSha256).toBe(sha256(winner));
  });

  it('answers 404 with a clear message when the object was deleted behind ModelDeck’s back', async () => {
    const name = await newVersion();
    const bytes = randomBytes(500);
    expect((await api.upload(engineer.token, name, 1, bytes)).status).toBe(200);
    expect((await s3('DELETE', `/${encodeKeyPath(objectKey(name, 1, sha256(bytes)))}`)).status).toBe(204);

    const downloaded = await api.download(viewer.token, name, 1);
    expect(downloaded.status).toBe(404);
    const problem = JSON.parse(Buffer.from(downloaded.bytes).toString('utf8'));
    expect(problem.detail).toContain(`missing from S3 bucket ${bucket}`);
  });

  it('removes objects, and removing one that is gone is not an error', async () => {
    const name = await newVersion();
    const bytes = randomBytes(500);
    expect((await api.upload(engineer.token, name, 1, bytes)).status).toBe(200);
    const key = `${name}/1/${sha256(bytes)}`;
    await s3ArtifactStore.remove(key);
    expect(await bucketKeys()).not.toContain(objectKey(name, 1, sha256(bytes)));
    await expect(s3ArtifactStore.remove(key)).resolves.toBeUndefined();
  });
});
