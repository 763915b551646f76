/**
 * Model server throughput: POST /v2/models/{name}/infer on a 10-feature logistic regression,
 * next to a bare node:http server that only parses the JSON, calls session.run on the same
 * model and writes both outputs back — the limit the model server's routing, validation,
 * stats and metrics are paid against. Both run as child processes and are measured in the
 * same run with the same keep-alive clients, loopback only.
 *
 * Run: npm run bench:serving   (BENCH_SECONDS per server, default 10, in 10 alternating rounds;
 * BENCH_CONCURRENCY, default 32)
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import { requestJson, startChild, writeBenchModel } from './support/model-server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = 10;
const FEATURES = 10;
const here = fileURLToPath(import.meta.url);

/** The limit: parse, run, answer — no routing, validation, stats or metrics. */
async function bareServer(modelFile: string) {
  const session = await ort.InferenceSession.create(modelFile);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { inputs: Array<{ shape: number[]; data: number[] }> };
      const input = body.inputs[0]!;
      const result = await session.run({ X: new ort.Tensor('float32', Float32Array.from(input.data), input.shape) });
      const outputs = Object.entries(result).map(([name, t]) => ({
        name,
        shape: t.dims,
        datatype: t.type === 'int64' ? 'INT64' : 'FP32',
        data: Array.from(t.data as ArrayLike<number | bigint>, Number),
      }));
      const text = JSON.stringify({ model_name: 'bench', outputs });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })));
}

interface Sample {
  latencies: number[];
  failures: number;
  seconds: number;
  /** CPU seconds the server process spent (user + system), robust to other load on the machine. */
  cpuSeconds: number;
}

/** User + system CPU seconds of a process so far (Linux /proc; clock ticks are 100 Hz there). */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** One timed burst against one server: CONCURRENCY clients, each sending its next request as soon as the last is answered. */
async function burst(agent: http.Agent, target: { port: number; path: string; pid: number }, seconds: number, into: Sample | null) {
  const { port, path: urlPath } = target;
  const cpuBefore = await cpuSecondsOf(target.pid);
  const row = () => Array.from({ length: FEATURES }, () => Math.round(Math.random() * 2000 - 1000) / 100);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const body = JSON.stringify({ inputs: [{ name: 'X', shape: [1, FEATURES], datatype: 'FP32', data: row() }] });
        const sent = performance.now();
        const answer = await requestJson(agent, port, 'POST', urlPath, body);
        if (!into) continue;
        if (answer.status === 200) into.latencies.push(performance.now() - sent);
        else into.failures += 1;
      }
    }),
  );
  if (into) {
    into.seconds += (performance.now() - started) / 1000;
    into.cpuSeconds += (await cpuSecondsOf(target.pid)) - cpuBefore;
  }
}

function report(label: string, sample: Sample) {
  const sorted = [...sample.latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const rps = sorted.length / sample.seconds;
  console.log(
    `${label.padEnd(44)} ${rps.toFixed(0).padStart(7)} req/s   p50 ${at(0.5).toFixed(2)} ms   p99 ${at(0.99).toFixed(2)} ms   ` +
      `server CPU ${((sample.cpuSeconds / sorted.length) * 1e6).toFixed(0)} µs/request   (${sorted.length} ok, ${sample.failures} failed)`,
  );
  return { rps, cpuPerRequest: sample.cpuSeconds / sorted.length };
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-serving-'));
  const children: ChildProcess[] = [];
  try {
    const { file: modelFile, sha256 } = await writeBenchModel(dir, FEATURES);

    const bare = await startChild([here, '--bare', modelFile], { PATH: process.env.PATH, NODE_ENV: 'production' });
    children.push(bare.child);
    const token = randomBytes(16).toString('hex');
    const served = await startChild(['serving/main.ts'], {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      MODEL_SERVER_PORT: '0',
      MODEL_SERVER_TOKEN: token,
      MODEL_SERVER_STATE_DIR: path.join(dir, 'state'),
      LOG_LEVEL: 'info',
    });
    children.push(served.child);

    const agent = new http.Agent({ keepAlive: true });
    const manage = (urlPath: string, body: object) => requestJson(agent, served.port, 'PUT', urlPath, JSON.stringify(body), token);
    const loaded = await manage('/manage/environments/production/models/bench/versions/1', { artifactUrl: pathToFileURL(modelFile).href, sha256, task: 'classification' });
    if (loaded.status !== 200) throw new Error(`load failed: ${loaded.text}`);
    await manage('/manage/environments/production/models/bench/traffic', { routes: [{ version: '1', percent: 100 }] });
    agent.destroy();

    console.log(`${FEATURES}-feature logistic regression, one row per request, ${CONCURRENCY} keep-alive clients, ${SECONDS} s each, ${os.cpus().length} CPUs`);
    // Short alternating rounds, so load from other processes on the machine hits both alike.
    const targets = [
      { label: 'bare node:http + session.run (the limit)', port: bare.port, pid: bare.child.pid!, path: '/infer' },
      { label: 'model server POST /v2/models/bench/infer', port: served.port, pid: served.child.pid!, path: '/environments/production/v2/models/bench/infer' },
    ];
    const samples = targets.map((): Sample => ({ latencies: [], failures: 0, seconds: 0, cpuSeconds: 0 }));
    const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
    for (const [i, target] of targets.entries()) await burst(agents[i]!, target, 1, null);
    for (let round = 0; round < ROUNDS; round++) {
      // Which server goes first alternates too, so neither always follows the other's burst.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) await burst(agents[i]!, targets[i]!, SECONDS / ROUNDS, samples[i]!);
    }
    for (const agent of agents) agent.destroy();
    const [limit, ours] = targets.map((target, i) => report(target.label, samples[i]!));
    console.log(
      `model server / bare: ${(ours!.rps / limit!.rps).toFixed(2)}× the throughput, ` +
        `${(ours!.cpuPerRequest / limit!.cpuPerRequest).toFixed(2)}× the server CPU per request (the figure other load on the machine does not move)`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--bare') void bareServer(process.argv[3]!);
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
