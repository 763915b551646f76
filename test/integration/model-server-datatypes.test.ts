/**
 * Every tensor datatype of the Open Inference Protocol through the real server and
 * onnxruntime: a graph of Identity nodes, one input and one output per datatype, so what
 * goes in must come back unchanged (FP16 rounded to half precision).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVersion, request, setTraffic, startModelServer, waitUntilReady, writeArtifactBytes, type RunningModelServer } from './model-server-harness';

const T = onnx.TensorProto.DataType;
const TYPES = {
  BOOL: T.BOOL,
  UINT8: T.UINT8,
  UINT16: T.UINT16,
  UINT32: T.UINT32,
  UINT64: T.UINT64,
  INT8: T.INT8,
  INT16: T.INT16,
  INT32: T.INT32,
  INT64: T.INT64,
  FP16: T.FLOAT16,
  FP32: T.FLOAT,
  FP64: T.DOUBLE,
  BYTES: T.STRING,
} as const;

const SAMPLES: Record<keyof typeof TYPES, Array<number | boolean | string>> = {
  BOOL: [true, false, true, true],
  UINT8: [0, 1, 128, 255],
  UINT16: [0, 1, 300, 65_535],
  UINT32: [0, 1, 70_000, 4_294_967_295],
  UINT64: [0, 1, 2 ** 40, Number.MAX_SAFE_INTEGER],
  INT8: [-128, -1, 0, 127],
  INT16: [-32_768, -1, 0, 32_767],
  INT32: [-2_147_483_648, -1, 0, 2_147_483_647],
  INT64: [Number.MIN_SAFE_INTEGER, -1, 0, 2 ** 50],
  FP16: [0.5, -2, 1024, 65_504],
  FP32: [0.25, -1.5, 3, 1e-3],
  FP64: [0.1, -1e300, 3.141592653589793, 1e-300],
  BYTES: ['', 'a', 'héllo', '{"json": true}'],
};

function identityModel(): Uint8Array {
  const names = Object.keys(TYPES) as Array<keyof typeof TYPES>;
  const tensor = (name: string, elemType: number) => ({ name, type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'N' }, { dimValue: 2 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'identities',
      node: names.map((n) => ({ opType: 'Identity', input: [`in_${n}`], output: [`out_${n}`] })),
      input: names.map((n) => tensor(`in_${n}`, TYPES[n])),
      output: names.map((n) => tensor(`out_${n}`, TYPES[n])),
    },
  }).finish();
}

let server: RunningModelServer;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'model-server-types-'));
  const artifact = await writeArtifactBytes(dir, 'identity.onnx', identityModel());
  server = await startModelServer();
  await waitUntilReady(server);
  const loaded = await loadVersion(server, 'dev', 'identity', '1', { artifactUrl: artifact.url, sha256: artifact.sha256 });
  expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
  await setTraffic(server, 'dev', 'identity', { routes: [{ version: '1', percent: 100 }] });
});

afterAll(async () => {
  await server?.stop();
});

describe('tensor datatypes', () => {
  it('reports each graph datatype under its protocol name', async () => {
    const meta = await request(server, 'GET', '/environments/dev/v2/models/identity');
    expect(meta.body.inputs).toEqual(Object.keys(TYPES).map((n) => ({ name: `in_${n}`, datatype: n, shape: [-1, 2] })));
  });

  it('carries every datatype through onnxruntime and back unchanged', async () => {
    const answer = await request(server, 'POST', '/environments/dev/v2/models/identity/infer', {
      inputs: Object.entries(SAMPLES).map(([datatype, data]) => ({ name: `in_${datatype}`, datatype, shape: [2, 2], data: [data.slice(0, 2), data.slice(2)] })),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    for (const [datatype, data] of Object.entries(SAMPLES)) {
      const output = answer.body.outputs.find((o: { name: string }) => o.name === `out_${datatype}`);
      expect(output, datatype).toMatchObject({ datatype, shape: [2, 2] });
      if (datatype === 'FP32') output.data.forEach((v: number, i: number) => expect(v).toBeCloseTo(data[i] as number, 6));
      else expect(output.data, datatype).toEqual(data);
    }
  });

  it('refuses values outside a datatype, naming the element', async () => {
    const cases: Array<[keyof typeof TYPES, unknown[], RegExp]> = [
      ['UINT8', [0, 256, 1, 2], /element 1 is 256, expected an integer in 0\.\.255 \(UINT8\)/],
      ['INT32', [0, 1.5, 1, 2], /element 1 is 1\.5/],
      ['BOOL', [true, 1, false, true], /element 1 is 1, expected true or false/],
      ['BYTES', ['a', 'b', 3, 'd'], /element 2 is 3, expected a string/],
    ];
    for (const [datatype, data, message] of cases) {
      const inputs = Object.entries(SAMPLES).map(([d, sample]) => ({ name: `in_${d}`, datatype: d, shape: [2, 2], data: d === datatype ? data : sample }));
      const answer = await request(server, 'POST', '/environments/dev/v2/models/identity/infer', { inputs });
      expect(answer.status, datatype).toBe(400);
      expect(answer.body.error, datatype).toMatch(message);
    }
  });
});
