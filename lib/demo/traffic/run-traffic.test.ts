import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoModels, type DemoModel } from '../build-demo-models';
import { createSampler, DEMO_DATASETS } from '../datasets';
import { predict } from '../train';
import { discoverTargets, liveModels } from './discover-targets';
import { runTraffic, type PredictionEvent } from './run-traffic';
import { resolveServerToken } from './server-token';

/**
 * A stand-in for the model server, NOT the real one (serving/ is built separately): it
 * speaks only the parts of the contract this script uses — GET /manage/state, model
 * metadata and infer — and scores with the real demo ONNX artifacts in onnxruntime.
 */
const TOKEN = 'stand-in-token';
const LIVE = { 'fraud-detector': 3, 'churn-predictor': 4 } as const;
let server: Server;
let base: string;
let models: DemoModel[];
const sessions = new Map<string, ort.InferenceSession>();
const received: { model: string; body: { id: string; inputs: { name: string; shape: number[]; datatype: string; data: number[] }[] } }[] = [];
const notReady = new Set<string>();

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  models = buildDemoModels();
  for (const [name, version] of Object.entries(LIVE)) {
    sessions.set(name, await ort.InferenceSession.create(models.find((m) => m.model === name)!.versions[version - 1]!.onnx));
  }
  server = createServer(async (request, response) => {
    const send = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = request.url ?? '';
    if (url === '/manage/state') {
      if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: 'unauthorized' });
      const route = (model: string, version: number) => ({ model, versions: [{ version, sha256: 'x', status: 'ready' }], routes: [{ version, percent: 100 }], shadow: null });
      return send(200, {
        environments: [
          { environment: 'production', models: [route('fraud-detector', 3), route('churn-predictor', 4), route('ticket-router', 2), { model: 'demand-forecast', versions: [], routes: [], shadow: null }] },
          { environment: 'staging', models: [route('demand-forecast', 3)] },
        ],
      });
    }
    const match = /^\/environments\/production\/v2\/models\/([^/]+)(\/infer)?$/.exec(url);
    if (!match) return send(404, { error: 'unknown path' });
    const name = decodeURIComponent(match[1]!);
    if (name === 'ticket-router') return send(200, { name, inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 3] }] });
    const session = sessions.get(name);
    if (!session) return send(404, { error: `unknown model ${name}` });
    const width = DEMO_DATASETS[name]!.features.length;
    if (!match[2]) return send(200, { name, platform: 'onnxruntime_onnx', inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, width] }] });
    if (notReady.has(name)) return send(503, { error: 'model not ready' });
    const body = JSON.parse(await readBody(request)) as (typeof received)[number]['body'];
    received.push({ model: name, body });
    const input = body.inputs[0]!;
    const result = await session.run({ X: new ort.Tensor('float32', Float32Array.from(input.data), input.shape) });
    send(200, {
      model_name: name,
      model_version: String(LIVE[name as keyof typeof LIVE]),
      id: body.id,
      outputs: Object.entries(result).map(([output, tensor]) => ({ name: output, shape: tensor.dims, data: Array.from(tensor.data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? String(v) : v)) })),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const session of sessions.values()) await session.release();
});

describe('demo traffic against a stand-in model server', () => {
  it('sends to the demo models live in the environment, skipping the others with a reason', async () => {
    const found = await discoverTargets({ server: base, token: TOKEN, environment: 'production', seed: 1, shifts: [], fetch });
    expect(found.targets.map((t) => t.model)).toEqual(['fraud-detector', 'churn-predictor']);
    expect(found.skipped).toEqual([{ model: 'ticket-router', reason: expect.stringContaining('no demo data generator') }]);
    await expect(discoverTargets({ server: base, token: 'wrong', environment: 'production', seed: 1, shifts: [], fetch })).rejects.toThrow(/answered 401 \(is MODEL_SERVER_TOKEN/);
  });

  it('skips a live demo model whose served signature does not match its generator', async () => {
    const datasets = { ...DEMO_DATASETS, 'ticket-router': DEMO_DATASETS['churn-predictor']! };
    const found = await discoverTargets({ server: base, token: TOKEN, environment: 'production', seed: 1, shifts: [], fetch, datasets });
    expect(found.skipped[0]!.reason).toMatch(/expected an input X of shape \[-1, 7\] .* the server has \[\{"name":"X","shape":\[-1,3\]\}\]/);
  });

  it('sends well-formed batches round-robin, shifted as asked, and reports what the model answered', async () => {
    received.length = 0;
    const shifts = [{ feature: 'amount', factor: 2, model: 'fraud-detector' }];
    const { targets } = await discoverTargets({ server: base, token: TOKEN, environment: 'production', seed: 4, shifts, fetch });
    const events: PredictionEvent[] = [];
    const lines: string[] = [];
    const summary = await runTraffic(
      { rate: 500, batch: 2, durationSeconds: null, maxRequests: 40, statusEverySeconds: 5 },
      { targets: () => targets, fetch, runId: 'run-a', onStatus: (line) => lines.push(line), onPrediction: (event) => events.push(event) },
    );
    expect(summary).toEqual({ sent: 40, ok: 40, errors: 0 });
    expect(lines.at(-1)).toMatch(/sent 40 {2}ok 40 {2}errors 0 {2}p95 \d+\.\d ms {2}\(fraud-detector 20, churn-predictor 20\)/);

    expect(received.filter((r) => r.model === 'fraud-detector')).toHaveLength(20);
    for (const { model, body } of received) {
      expect(body.inputs).toEqual([{ name: 'X', datatype: 'FP32', shape: [2, DEMO_DATASETS[model]!.features.length], data: expect.any(Array) }]);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(40);
    expect(events.every((e) => e.id.startsWith('run-a-') && e.environment === 'production')).toBe(true);

    // The fraud rows are the seeded stream with amounts doubled, and carry their ground truth.
    const expected = createSampler(DEMO_DATASETS['fraud-detector']!, { seed: 4000, shifts });
    const sent = received.filter((r) => r.model === 'fraud-detector').flatMap((r) => [r.body.inputs[0]!.data.slice(0, 8), r.body.inputs[0]!.data.slice(8)]);
    const stream = sent.map(() => expected());
    // Requests run concurrently, so they may reach the server in another order than generated.
    const byValue = (rows: number[][]) => rows.map((row) => JSON.stringify(row)).sort();
    expect(byValue(sent)).toEqual(byValue(stream.map((row) => row.features)));
    const fraudEvents = events.filter((e) => e.model === 'fraud-detector');
    expect(fraudEvents.flatMap((e) => e.truths).sort()).toEqual(stream.map((row) => row.truth).sort());

    // Answers are the served version's scores of exactly those rows.
    const v3 = models.find((m) => m.model === 'fraud-detector')!.versions[2]!;
    for (const event of fraudEvents) {
      expect(event.result!.modelVersion).toBe('3');
      event.rows.forEach((row, i) => expect(Math.abs(event.result!.outputs.probability![i]! - predict(v3.model, row))).toBeLessThan(1e-5));
    }
  });

  it('counts refused requests as errors and says why', async () => {
    notReady.add('churn-predictor');
    try {
      const { targets } = await discoverTargets({ server: base, token: TOKEN, environment: 'production', seed: 1, shifts: [], fetch });
      const lines: string[] = [];
      const summary = await runTraffic(
        { rate: 500, batch: 1, durationSeconds: null, maxRequests: 10, statusEverySeconds: 5 },
        { targets: () => targets, fetch, runId: 'run-b', onStatus: (line) => lines.push(line) },
      );
      expect(summary).toEqual({ sent: 10, ok: 5, errors: 5 });
      expect(lines.at(-1)).toMatch(/last error: 503 model not ready$/);
    } finally {
      notReady.delete('churn-predictor');
    }
  });

  it('keeps sending when a prediction listener throws, and says so', async () => {
    const { targets } = await discoverTargets({ server: base, token: TOKEN, environment: 'production', seed: 1, shifts: [], fetch });
    const lines: string[] = [];
    const summary = await runTraffic(
      { rate: 500, batch: 1, durationSeconds: null, maxRequests: 4, statusEverySeconds: 5 },
      {
        targets: () => targets,
        fetch,
        runId: 'run-d',
        onStatus: (line) => lines.push(line),
        onPrediction: () => {
          throw new Error('label sink down');
        },
      },
    );
    expect(summary).toEqual({ sent: 4, ok: 4, errors: 0 });
    expect(lines.filter((line) => line.startsWith('listener failed for run-d-'))).toHaveLength(4);
    expect(lines[0]).toMatch(/label sink down$/);
  });

  it('stops when aborted and waits for the requests in flight', async () => {
    const { targets } = await discoverTargets({ server: base, token: TOKEN, environment: 'production', seed: 1, shifts: [], fetch });
    const controller = new AbortController();
    const events: PredictionEvent[] = [];
    const summary = await runTraffic(
      { rate: 500, batch: 1, durationSeconds: null, maxRequests: null, statusEverySeconds: 5 },
      {
        targets: () => targets,
        fetch,
        runId: 'run-c',
        signal: controller.signal,
        onStatus: () => undefined,
        onPrediction: (event) => {
          events.push(event);
          if (events.length === 5) controller.abort();
        },
      },
    );
    expect(summary.sent).toBeGreaterThanOrEqual(5);
    expect(summary.ok + summary.errors).toBe(summary.sent);
    expect(events).toHaveLength(summary.sent);
  });
});

describe('liveModels', () => {
  it('lists models with traffic in the environment and refuses an unexpected answer', () => {
    const state = { environments: [{ environment: 'production', models: [{ model: 'a', routes: [{ version: 1, percent: 100 }] }, { model: 'b', routes: [] }] }] };
    expect(liveModels(state, 'production')).toEqual(['a']);
    expect(liveModels(state, 'staging')).toEqual([]);
    expect(() => liveModels({ models: [] }, 'production')).toThrow(/Unexpected \/manage\/state answer/);
  });
});

describe('resolveServerToken', () => {
  it('takes MODEL_SERVER_TOKEN, else modelServerToken from the data directory’s secrets.json, else says how to get one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'md-token-'));
    try {
      expect(() => resolveServerToken({}, dir)).toThrow(/set MODEL_SERVER_TOKEN, or start ModelDeck in embedded mode/);
      writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ nextAuthSecret: 'n', embeddedDbPassword: 'p' }));
      expect(() => resolveServerToken({}, dir)).toThrow(/holds modelServerToken/);
      writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ nextAuthSecret: 'n', embeddedDbPassword: 'p', modelServerToken: 'from-file' }));
      expect(resolveServerToken({}, dir)).toBe('from-file');
      expect(resolveServerToken({ MODEL_SERVER_TOKEN: 'from-env' }, dir)).toBe('from-env');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
