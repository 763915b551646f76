import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as putBackendRoute } from '@/app/api/v1/environments/[environment]/backend/route';
import { POST as inferRoute } from '@/app/api/v1/models/[name]/environments/[environment]/infer/route';
import { GET as edgeBundleRoute } from '@/app/api/v1/models/[name]/versions/[version]/edge-bundle/route';
import { GET as variantsRoute } from '@/app/api/v1/models/[name]/versions/[version]/variants/route';
import { GET as signingKeyRoute } from '@/app/api/v1/signing-key/route';
import { buildDemoModels } from '@/lib/demo/build-demo-models';
import { DEMO_DATASETS, generate } from '@/lib/demo/datasets';
import { compareModelOutputs } from '@/lib/onnx/compare-outputs';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { readTar } from '@/lib/server/edge/ustar';
import { verifyBundle } from '@/lib/server/edge/verify-bundle';
import { call, createTestUser } from '../helpers';
import { api } from '../registry-api';
import { startModelServer, waitUntilReady, type RunningModelServer } from './model-server-harness';

const churn = buildDemoModels().find((m) => m.model === 'churn-predictor')!;
const churnV4 = churn.versions[3]!;
const churnRow = generate(DEMO_DATASETS['churn-predictor']!, 1, { seed: 5 }).rows[0]!;

let artifactDir: string;
let engineer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;
let admin: Awaited<ReturnType<typeof createTestUser>>;
let server: RunningModelServer;
const originalKey = process.env.MODELDECK_ENCRYPTION_KEY;
const ENV = 'development';

async function registerOnnx(name: string, bytes: Uint8Array, features: { name: string; type: string }[]) {
  expect((await api.createModel(engineer.token, { name })).status).toBe(201);
  const registered = await api.registerVersion(engineer.token, name, { format: 'onnx', features });
  expect(registered.status, registered.text).toBe(201);
  const uploaded = await api.upload(engineer.token, name, 1, bytes);
  expect(uploaded.status, uploaded.text).toBe(200);
}

async function bundle(token: string, name: string, variant?: string) {
  const query = variant === undefined ? '' : `?variant=${variant}`;
  const request = new Request(`http://localhost/api/v1/models/${name}/versions/1/edge-bundle${query}`, { headers: { authorization: `Bearer ${token}` } });
  const response = await edgeBundleRoute(request, { params: Promise.resolve({ name, version: '1' }) });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const tryInfer = (token: string, name: string, environment: string, json: unknown) =>
  call(inferRoute, { path: `/api/v1/models/${name}/environments/${environment}/infer`, method: 'POST', token, json, params: { name, environment } });

const row = (values: number[]) => ({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, values.length], data: values }] });

async function inProcess(bytes: Uint8Array, values: number[]) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = await session.run({ X: new ort.Tensor('float32', Float32Array.from(values), [1, values.length]) });
    return Number((result.probability!.data as Float32Array)[0]);
  } finally {
    await session.release();
  }
}

beforeAll(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'modeldeck-try-artifacts-'));
  process.env.ARTIFACT_DIR = artifactDir;
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  [engineer, viewer, admin] = await Promise.all([createTestUser(['engineer']), createTestUser(['viewer']), createTestUser(['admin'])]);
  await registerOnnx('churn-predictor', churnV4.onnx, churn.features);
  server = await startModelServer();
  await waitUntilReady(server);
});

afterAll(async () => {
  await server?.stop();
  delete process.env.ARTIFACT_DIR;
  process.env.MODELDECK_ENCRYPTION_KEY = originalKey;
  await rm(artifactDir, { recursive: true, force: true });
});

describe('quantized variants', () => {
  it('lists float16 and int8 with their sizes and the difference measured on the held-out rows', async () => {
    const { status, body, text } = await call(variantsRoute, { path: '/api/v1/models/churn-predictor/versions/1/variants', token: viewer.token, params: { name: 'churn-predictor', version: '1' } });
    expect(status, text).toBe(200);
    expect(body.originalBytes).toBe(churnV4.onnx.length);
    expect(body.evaluation).toMatchObject({ source: 'demo_held_out', rows: 2000 });
    const [f16, i8] = body.variants;
    expect(f16).toMatchObject({ variant: 'float16', available: true, reason: null });
    expect(i8).toMatchObject({ variant: 'int8', available: true });
    const probability = (v: typeof f16) => v.outputs.find((o: { name: string }) => o.name === 'probability');
    expect(probability(f16).maxAbsDiff).toBeGreaterThan(0);
    expect(probability(f16).maxAbsDiff).toBeLessThan(1e-3);
    // int8 weights with one scale per tensor cost more accuracy than float16, and the figures say so.
    expect(probability(i8).maxAbsDiff).toBeGreaterThan(probability(f16).maxAbsDiff);
  });

  it('bundles a float16 variant whose signed manifest names it and its sha256, and whose model scores within 1e-3', async () => {
    const { status, headers, bytes } = await bundle(viewer.token, 'churn-predictor', 'float16');
    expect(status).toBe(200);
    expect(headers.get('content-disposition')).toBe('attachment; filename="churn-predictor-v1-float16-edge.tar.gz"');
    const key = await call(signingKeyRoute, { path: '/api/v1/signing-key', token: viewer.token });
    const check = verifyBundle(bytes, key.body.publicKey);
    expect(check).toMatchObject({ ok: true, manifest: { variant: 'float16' } });
    const model = readTar(gunzipSync(bytes)).get('model.onnx')!;
    expect(check.ok && check.manifest.sha256).toBe(createHash('sha256').update(model).digest('hex'));
    expect(model.length).not.toBe(churnV4.onnx.length);
    const rows = generate(DEMO_DATASETS['churn-predictor']!, 500, { seed: 3 }).rows;
    const comparison = await compareModelOutputs(churnV4.onnx, model, rows);
    expect(comparison.outputs.find((o) => o.name === 'probability')!.maxAbsDiff).toBeLessThan(1e-3);
  });

  it('leaves the original bundle as it was: no variant field', async () => {
    const { bytes } = await bundle(viewer.token, 'churn-predictor');
    const manifest = JSON.parse(readTar(gunzipSync(bytes)).get('manifest.json')!.toString('utf8'));
    expect(manifest).not.toHaveProperty('variant');
    expect(manifest.sha256).toBe(churnV4.sha256);
  });

  it('refuses an unknown variant (422) and a graph with no weight tensor to shrink (422 variant_unavailable)', async () => {
    const bad = await bundle(viewer.token, 'churn-predictor', 'int4');
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.bytes.toString()).detail).toMatch(/variant/);

    const tiny = `tiny-${randomBytes(3).toString('hex')}`;
    await registerOnnx(tiny, writeLinearModel({ kind: 'linear', featureNames: ['x'], weights: [2], bias: 1 }), [{ name: 'x', type: 'numeric' }]);
    const refused = await bundle(viewer.token, tiny, 'int8');
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.bytes.toString())).toMatchObject({ code: 'variant_unavailable' });
    const listed = await call(variantsRoute, { path: `/api/v1/models/${tiny}/versions/1/variants`, token: viewer.token, params: { name: tiny, version: '1' } });
    expect(listed.body.variants.map((v: { available: boolean }) => v.available)).toEqual([false, false]);
    expect(listed.body.evaluation.source).toBeNull();
  });
});

describe('POST …/environments/{environment}/infer', () => {
  it('is refused with 409 no_backend while the environment has none', async () => {
    const answer = await tryInfer(engineer.token, 'churn-predictor', ENV, row(churnRow));
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('no_backend');
  });

  it('forwards to the live endpoint on the reference model server and answers what onnxruntime answers in process', async () => {
    const configured = await call(putBackendRoute, {
      path: `/api/v1/environments/${ENV}/backend`,
      method: 'PUT',
      token: admin.token,
      json: { type: 'local', config: { url: server.url, timeoutSeconds: 5 }, secret: server.token },
      params: { environment: ENV },
    });
    expect(configured.status, configured.text).toBe(200);
    const file = path.join(artifactDir, 'churn-v4.onnx');
    await writeFile(file, churnV4.onnx);
    const manage = (url: string, json: unknown) =>
      fetch(`${server.url}/manage/environments/${ENV}/models/churn-predictor${url}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
    expect((await manage('/versions/1', { artifactUrl: pathToFileURL(file).href, sha256: churnV4.sha256, task: 'classification' })).status).toBe(200);
    expect((await manage('/traffic', { routes: [{ version: '1', percent: 100 }], shadow: null })).status).toBe(200);

    const answer = await tryInfer(engineer.token, 'churn-predictor', ENV, { ...row(churnRow), version: 1 });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ environment: ENV, backend: 'local', response: { model_name: 'churn-predictor', model_version: '1' } });
    expect(answer.body.latencyMs).toBeGreaterThan(0);
    const served = answer.body.response.outputs.find((o: { name: string }) => o.name === 'probability').data[0];
    expect(served).toBeCloseTo(await inProcess(churnV4.onnx, churnRow), 6);
  });

  it('passes the endpoint\'s refusal on as 422, a version not loaded there as 422, and needs deployments:operate', async () => {
    const wrongShape = await tryInfer(engineer.token, 'churn-predictor', ENV, row([1, 2]));
    expect(wrongShape.status).toBe(422);
    expect(wrongShape.body.code).toBe('inference_rejected');
    expect(wrongShape.body.detail).toMatch(/X/);
    const notLoaded = await tryInfer(engineer.token, 'churn-predictor', ENV, { ...row(churnRow), version: 9 });
    expect(notLoaded.status).toBe(422);
    expect((await tryInfer(viewer.token, 'churn-predictor', ENV, row(churnRow))).status).toBe(403);
    const invalid = await tryInfer(engineer.token, 'churn-predictor', ENV, { inputs: [] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.detail).toMatch(/inputs/);
    expect((await tryInfer(engineer.token, 'no-such-model', ENV, row(churnRow))).status).toBe(404);
  });

  it('answers 502 endpoint_unreachable when the model server is gone', async () => {
    const other = await startModelServer();
    await waitUntilReady(other);
    const environment = `gone-${randomBytes(3).toString('hex')}`;
    expect((await api.createEnvironment(admin.token, { name: environment })).status).toBe(201);
    await call(putBackendRoute, {
      path: `/api/v1/environments/${environment}/backend`,
      method: 'PUT',
      token: admin.token,
      json: { type: 'local', config: { url: other.url, timeoutSeconds: 5 }, secret: other.token },
      params: { environment },
    });
    await other.stop();
    const answer = await tryInfer(engineer.token, 'churn-predictor', environment, row(churnRow));
    expect(answer.status).toBe(502);
    expect(answer.body.code).toBe('endpoint_unreachable');
  });
});
