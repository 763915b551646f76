/**
 * The reference model server over real HTTP: every Open Inference Protocol route, metadata
 * from the ONNX graph, input validation, `outputs` selection, and the management API's
 * loading rules (auth, sha256 verification, corrupt and unreachable artifacts, idempotency).
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inferRows,
  loadVersion,
  request,
  setTraffic,
  startModelServer,
  waitUntilReady,
  writeArtifactBytes,
  writeModelArtifact,
  type RunningModelServer,
} from './model-server-harness';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const WEIGHTS = [0.5, -1, 2];
const BIAS = -0.25;

let server: RunningModelServer;
let dir: string;
let v1: Awaited<ReturnType<typeof writeModelArtifact>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'model-server-artifacts-'));
  v1 = await writeModelArtifact(dir, 'v1.onnx', { kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: WEIGHTS, bias: BIAS });
  server = await startModelServer();
  await waitUntilReady(server);
  const loaded = await loadVersion(server, 'production', 'churn', '1', { artifactUrl: v1.url, sha256: v1.sha256, task: 'classification' });
  expect(loaded.status).toBe(200);
  expect((await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 100 }] })).status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
});

describe('health and metadata', () => {
  it('answers the probes at the root and under an environment, and the server metadata', async () => {
    expect(await request(server, 'GET', '/v2/health/live', undefined, { token: null })).toEqual({ status: 200, body: { live: true } });
    expect(await request(server, 'GET', '/v2/health/ready', undefined, { token: null })).toEqual({ status: 200, body: { ready: true } });
    expect((await request(server, 'GET', '/environments/production/v2/health/live')).status).toBe(200);
    expect((await request(server, 'GET', '/environments/production/v2/health/ready')).status).toBe(200);
    const meta = await request(server, 'GET', '/environments/production/v2');
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ name: 'modeldeck-model-server', extensions: [] });
    expect(typeof meta.body.version).toBe('string');
  });

  it('describes the model from its ONNX graph, with -1 for the dynamic batch dimension', async () => {
    const expected = {
      name: 'churn',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 3] }],
      outputs: [
        { name: 'probability', datatype: 'FP32', shape: [-1, 1] },
        { name: 'label', datatype: 'INT64', shape: [-1, 1] },
      ],
    };
    expect(await request(server, 'GET', '/environments/production/v2/models/churn')).toEqual({ status: 200, body: expected });
    expect(await request(server, 'GET', '/environments/production/v2/models/churn/versions/1')).toEqual({ status: 200, body: expected });
  });

  it('reports model and version readiness; unknown ones are 404 with an error body', async () => {
    expect(await request(server, 'GET', '/environments/production/v2/models/churn/ready')).toEqual({ status: 200, body: { name: 'churn', ready: true } });
    expect((await request(server, 'GET', '/environments/production/v2/models/churn/versions/1/ready')).status).toBe(200);
    for (const p of ['/environments/production/v2/models/nope/ready', '/environments/staging/v2/models/churn', '/environments/production/v2/models/churn/versions/9/ready', '/environments/production/v2/models/churn/versions/9']) {
      const answer = await request(server, 'GET', p);
      expect(answer.status, p).toBe(404);
      expect(typeof answer.body.error, p).toBe('string');
    }
  });
});

describe('inference', () => {
  const rows = [
    [1, 2, 3],
    [-1, 0.5, 0],
  ];
  const expectedProbability = rows.map((r) => sigmoid(r.reduce((s, x, i) => s + x * WEIGHTS[i]!, BIAS)));

  it('scores a batch given flat data, says which version answered and echoes the id', async () => {
    const answer = await inferRows(server, 'production', 'churn', rows, { id: 'req-42' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ model_name: 'churn', model_version: '1', id: 'req-42' });
    const [probability, label] = answer.body.outputs;
    expect(probability).toMatchObject({ name: 'probability', datatype: 'FP32', shape: [2, 1] });
    probability.data.forEach((p: number, i: number) => expect(p).toBeCloseTo(expectedProbability[i]!, 5));
    expect(label).toEqual({ name: 'label', datatype: 'INT64', shape: [2, 1], data: expectedProbability.map((p) => (p >= 0.5 ? 1 : 0)) });
  });

  it('accepts nested (row-major) data and pinned versions', async () => {
    const answer = await request(server, 'POST', '/environments/production/v2/models/churn/versions/1/infer', {
      inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 3], data: rows }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.model_version).toBe('1');
    expect(answer.body.id).toBeUndefined();
    expect(answer.body.outputs[0].data[1]).toBeCloseTo(expectedProbability[1]!, 5);
  });

  it('returns only the outputs the request selects', async () => {
    const answer = await inferRows(server, 'production', 'churn', rows, { outputs: [{ name: 'label' }] });
    expect(answer.status).toBe(200);
    expect(answer.body.outputs.map((o: { name: string }) => o.name)).toEqual(['label']);
    const unknown = await inferRows(server, 'production', 'churn', rows, { outputs: [{ name: 'score' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/unknown output "score".*probability FP32 \[-1,1\]/);
  });

  it('refuses wrong inputs with 400 naming the expected signature', async () => {
    const base = { name: 'X', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] };
    const cases: Array<[string, object, RegExp]> = [
      ['name', { ...base, name: 'features' }, /unknown input "features"; expected inputs: X FP32 \[-1,3\]/],
      ['shape', { ...base, shape: [1, 4], data: [1, 2, 3, 4] }, /shape \[1,4\], expected \[-1,3\]/],
      ['rank', { ...base, shape: [3] }, /shape \[3\], expected \[-1,3\]/],
      ['datatype', { ...base, datatype: 'FP64' }, /datatype "FP64", expected FP32/],
      ['data length', { ...base, data: [1, 2] }, /2 elements in data, but shape \[1,3\] needs 3/],
      ['element type', { ...base, data: [1, 'two', 3] }, /element 1 is "two", expected a number/],
    ];
    for (const [what, input, message] of cases) {
      const answer = await request(server, 'POST', '/environments/production/v2/models/churn/infer', { inputs: [input] });
      expect(answer.status, what).toBe(400);
      expect(answer.body.error, what).toMatch(message);
    }
    const missing = await request(server, 'POST', '/environments/production/v2/models/churn/infer', { inputs: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/X FP32 \[-1,3\]/);
  });

  it('answers malformed JSON with 400 and unknown models, environments and versions with 404', async () => {
    const malformed = await request(server, 'POST', '/environments/production/v2/models/churn/infer', undefined, { raw: '{"inputs": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatch(/malformed JSON/);
    for (const [env, model, version] of [
      ['production', 'nope', undefined],
      ['staging', 'churn', undefined],
      ['production', 'churn', '7'],
    ] as const) {
      const answer = await inferRows(server, env, model, rows, {}, version);
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatch(/not (served|loaded)/);
    }
    expect((await request(server, 'GET', '/v2/models/churn')).status).toBe(404);
  });
});

describe('management', () => {
  it('refuses to start without a token unless told it is an experiment', { timeout: 120_000 }, async () => {
    await expect(startModelServer({ env: { MODEL_SERVER_TOKEN: '' } })).rejects.toThrow(/exited \(1\)[\s\S]*MODEL_SERVER_TOKEN is required/);
    const open = await startModelServer({ env: { MODEL_SERVER_TOKEN: '', MODEL_SERVER_INSECURE_NO_TOKEN: '1' } });
    try {
      expect((await request(open, 'GET', '/manage/state', undefined, { token: null })).status).toBe(200);
    } finally {
      await open.stop();
    }
  });

  it('refuses requests without the right bearer token', async () => {
    for (const token of [null, 'wrong', `${server.token}x`]) {
      const answer = await request(server, 'GET', '/manage/state', undefined, { token });
      expect(answer.status).toBe(401);
      expect(answer.body.error).toMatch(/token/);
    }
    const load = await request(server, 'PUT', '/manage/environments/production/models/churn/versions/2', { artifactUrl: v1.url, sha256: v1.sha256 }, { token: null });
    expect(load.status).toBe(401);
  });

  it('refuses an artifact whose sha256 differs, before loading anything', async () => {
    const other = await writeModelArtifact(dir, 'v2.onnx', { kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [1, 1, 1], bias: 0 });
    const answer = await loadVersion(server, 'production', 'churn', '2', { artifactUrl: other.url, sha256: v1.sha256 });
    expect(answer).toEqual({ status: 422, body: { error: `sha256 mismatch: expected ${v1.sha256}, got ${other.sha256}` } });
    expect((await inferRows(server, 'production', 'churn', [[1, 2, 3]], {}, '2')).status).toBe(404);
    const state = await request(server, 'GET', '/manage/state');
    expect(state.body.environments[0].models[0].versions.map((v: { version: string }) => v.version)).toEqual(['1']);
    expect(await readdir(path.join(server.stateDir, 'artifacts', 'production', 'churn'))).toHaveLength(1);
    expect(await readdir(path.join(server.stateDir, 'incoming'))).toEqual([]);
  });

  it('refuses a file onnxruntime cannot load (422) and an unreadable one (502)', async () => {
    const corrupt = await writeArtifactBytes(dir, 'corrupt.onnx', new TextEncoder().encode('definitely not an onnx model'));
    const answer = await loadVersion(server, 'production', 'churn', '3', { artifactUrl: corrupt.url, sha256: corrupt.sha256 });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatch(/onnxruntime cannot load/);
    const missing = await loadVersion(server, 'production', 'churn', '3', { artifactUrl: `file://${dir}/missing.onnx`, sha256: corrupt.sha256 });
    expect(missing.status).toBe(502);
    expect(missing.body.error).toMatch(/cannot read/);
    expect((await request(server, 'GET', '/environments/production/v2/models/churn/versions/3')).status).toBe(404);
    const bad = await loadVersion(server, 'production', 'churn', '3', { artifactUrl: corrupt.url, sha256: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/sha256/);
  });

  it('downloads over http with the given headers, and answers a repeated load at once', async () => {
    const v4 = await writeModelArtifact(dir, 'v4.onnx', { kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [0, 0, 1], bias: 0 });
    const seen: Array<string | undefined> = [];
    const files = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== 'Bearer artifact-secret') return void res.writeHead(403).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(v4.bytes));
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const artifactUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/artifacts/v4`;
    try {
      const forbidden = await loadVersion(server, 'production', 'churn', '4', { artifactUrl, sha256: v4.sha256 });
      expect(forbidden.status).toBe(422);
      expect(forbidden.body.error).toMatch(/HTTP 403/);
      const body = { artifactUrl, sha256: v4.sha256, task: 'classification', headers: { authorization: 'Bearer artifact-secret' } };
      const loaded = await loadVersion(server, 'production', 'churn', '4', body);
      expect(loaded.status).toBe(200);
      expect(loaded.body).toMatchObject({ version: '4', status: 'ready', inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 3] }] });
      const again = await loadVersion(server, 'production', 'churn', '4', body);
      expect(again.status).toBe(200);
      expect(seen).toHaveLength(2);
      const otherBytes = await loadVersion(server, 'production', 'churn', '4', { ...body, sha256: v1.sha256 });
      expect(otherBytes.status).toBe(409);
    } finally {
      files.close();
    }
    const pinned = await inferRows(server, 'production', 'churn', [[0, 0, 5]], {}, '4');
    expect(pinned.body.outputs[0].data[0]).toBeCloseTo(sigmoid(5), 5);
  });

  it('validates traffic: percents summing to 100, versions loaded, shadow not routed', async () => {
    const wrongSum = await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 60 }, { version: '4', percent: 30 }] });
    expect(wrongSum.status).toBe(400);
    expect(wrongSum.body.error).toMatch(/sum to 100, got 90/);
    const fraction = await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 99.5 }, { version: '4', percent: 0.5 }] });
    expect(fraction.status).toBe(400);
    const notLoaded = await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 50 }, { version: '8', percent: 50 }] });
    expect(notLoaded.status).toBe(409);
    expect(notLoaded.body.error).toMatch(/version "8".*not loaded/);
    const shadowRouted = await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 100 }], shadow: { version: '1', percent: 10 } });
    expect(shadowRouted.status).toBe(400);
    const routes = await request(server, 'GET', '/manage/state');
    expect(routes.body.environments[0].models[0].routes).toEqual([{ version: '1', percent: 100 }]);
  });

  it('refuses to unload a routed or shadow version, unloads others and forgets them', async () => {
    expect((await request(server, 'DELETE', '/manage/environments/production/models/churn/versions/1')).status).toBe(409);
    await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 100 }], shadow: { version: '4', percent: 5 } });
    const shadow = await request(server, 'DELETE', '/manage/environments/production/models/churn/versions/4');
    expect(shadow.status).toBe(409);
    expect(shadow.body.error).toMatch(/shadow/);
    await setTraffic(server, 'production', 'churn', { routes: [{ version: '1', percent: 100 }], shadow: null });
    expect(await request(server, 'DELETE', '/manage/environments/production/models/churn/versions/4')).toEqual({ status: 200, body: { version: '4', status: 'unloaded' } });
    expect((await request(server, 'DELETE', '/manage/environments/production/models/churn/versions/4')).status).toBe(404);
    expect((await inferRows(server, 'production', 'churn', [[0, 0, 5]], {}, '4')).status).toBe(404);
    expect(await readdir(path.join(server.stateDir, 'artifacts', 'production', 'churn'))).toHaveLength(1);
  });

  it('exposes Prometheus series per model, version and environment', async () => {
    await inferRows(server, 'production', 'churn', [[1, 1, 1]]);
    await request(server, 'POST', '/environments/production/v2/models/churn/infer', { inputs: [] });
    const metrics = await request(server, 'GET', '/metrics', undefined, { token: null });
    expect(metrics.status).toBe(200);
    const text = metrics.body as string;
    expect(text).toMatch(/modelserver_inference_requests_total\{environment="production",model="churn",version="1"\} \d+/);
    expect(text).toMatch(/modelserver_inference_errors_total\{environment="production",model="churn",version="1"\} [1-9]/);
    expect(text).toMatch(/modelserver_inference_duration_seconds_bucket\{le="0.005",environment="production",model="churn",version="1"\} \d+/);
    expect(text).toContain('modelserver_loaded_models{environment="production",model="churn"} 1');
  });
});
