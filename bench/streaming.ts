/**
 * Streaming through NATS JetStream next to REST, same model server, same model, same run:
 * requests/s and end-to-end latency (p50/p95). For NATS, end to end is from publishing the
 * request (the stream's ack included) to receiving its prediction on the predictions subject;
 * for REST, from sending POST …/infer to reading the answer. Both keep CONCURRENCY requests in
 * flight; rounds alternate so other load on the machine hits both alike. Loopback only.
 *
 * Run: npm run bench:streaming   (BENCH_SECONDS per mode, default 10, in 6 alternating rounds;
 * BENCH_CONCURRENCY, default 32; NATS_URL, default nats://127.0.0.1:4222)
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect, type NatsConnection } from 'nats';
import { requestJson, startChild, writeBenchModel } from './support/model-server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ROUNDS = 6;
const FEATURES = 10;

interface Sample {
  latencies: number[];
  failures: number;
  seconds: number;
}

const row = () => Array.from({ length: FEATURES }, () => Math.round(Math.random() * 2000 - 1000) / 100);

async function restBurst(agent: http.Agent, port: number, seconds: number, into: Sample | null) {
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const body = JSON.stringify({ inputs: [{ name: 'X', shape: [1, FEATURES], datatype: 'FP32', data: row() }] });
        const sent = performance.now();
        const answer = await requestJson(agent, port, 'POST', '/environments/production/v2/models/bench/infer', body);
        if (!into) continue;
        if (answer.status === 200) into.latencies.push(performance.now() - sent);
        else into.failures += 1;
      }
    }),
  );
  if (into) into.seconds += (performance.now() - started) / 1000;
}

/** Keeps CONCURRENCY requests in flight through the stream; each prediction releases the next request. */
async function natsBurst(nc: NatsConnection, subjects: { requests: string; predictions: string }, seconds: number, into: Sample | null) {
  const js = nc.jetstream();
  const waiting = new Map<string, (at: number) => void>();
  const subscription = nc.subscribe(subjects.predictions, {
    callback: (error, message) => {
      if (error) return;
      const { id } = message.json<{ id: string }>();
      waiting.get(id)?.(performance.now());
    },
  });
  await nc.flush();
  const started = performance.now();
  const until = started + seconds * 1000;
  let next = 0;
  const tag = randomBytes(3).toString('hex');
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const id = `${tag}-${next++}`;
        const answered = new Promise<number>((resolve) => waiting.set(id, resolve));
        const sent = performance.now();
        try {
          await js.publish(subjects.requests, JSON.stringify({ id, inputs: [{ name: 'X', shape: [1, FEATURES], datatype: 'FP32', data: row() }] }));
        } catch {
          waiting.delete(id);
          if (into) into.failures += 1;
          continue;
        }
        const at = await Promise.race([answered, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]);
        waiting.delete(id);
        if (!into) continue;
        if (at === null) into.failures += 1;
        else into.latencies.push(at - sent);
      }
    }),
  );
  if (into) into.seconds += (performance.now() - started) / 1000;
  subscription.unsubscribe();
}

function report(label: string, sample: Sample) {
  const sorted = [...sample.latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const rps = sorted.length / sample.seconds;
  console.log(`${label.padEnd(58)} ${rps.toFixed(0).padStart(6)} req/s   p50 ${at(0.5).toFixed(2)} ms   p95 ${at(0.95).toFixed(2)} ms   (${sorted.length} ok, ${sample.failures} failed)`);
  return { rps, p95: at(0.95) };
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-streaming-'));
  const stream = `BENCH_STREAMING_${randomBytes(3).toString('hex')}`;
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  let child: ChildProcess | null = null;
  const nc = await connect({ servers: NATS_URL });
  try {
    const { file: modelFile, sha256 } = await writeBenchModel(dir, FEATURES);
    const token = randomBytes(16).toString('hex');
    const served = await startChild(['serving/main.ts'], {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      MODEL_SERVER_PORT: '0',
      MODEL_SERVER_TOKEN: token,
      MODEL_SERVER_STATE_DIR: path.join(dir, 'state'),
      LOG_LEVEL: 'info',
    });
    child = served.child;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const manage = async (urlPath: string, body: object) => {
      const answer = await requestJson(agent, served.port, 'PUT', urlPath, JSON.stringify(body), token);
      if (answer.status !== 200) throw new Error(`${urlPath}: ${answer.text}`);
      return JSON.parse(answer.text) as { subjects?: { requests: string; predictions: string } };
    };
    await manage('/manage/environments/production/models/bench/versions/1', { artifactUrl: pathToFileURL(modelFile).href, sha256, task: 'classification' });
    await manage('/manage/environments/production/models/bench/traffic', { routes: [{ version: '1', percent: 100 }] });
    const { subjects } = await manage('/manage/environments/production/models/bench/streaming', { natsUrl: NATS_URL, stream, subjectPrefix: prefix });
    for (let i = 0; i < 200; i++) {
      const status = await requestJson(agent, served.port, 'GET', '/manage/environments/production/models/bench/streaming', '', token);
      if ((JSON.parse(status.text) as { connection?: string }).connection === 'connected') break;
      await new Promise((r) => setTimeout(r, 50));
    }

    console.log(`${FEATURES}-feature logistic regression, one row per request, ${CONCURRENCY} requests in flight, ${SECONDS} s per mode, ${os.cpus().length} CPUs, NATS ${NATS_URL}`);
    const samples: [Sample, Sample] = [
      { latencies: [], failures: 0, seconds: 0 },
      { latencies: [], failures: 0, seconds: 0 },
    ];
    const runs = [(s: number, into: Sample | null) => restBurst(agent, served.port, s, into), (s: number, into: Sample | null) => natsBurst(nc, subjects!, s, into)];
    for (const run of runs) await run(1, null);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) await runs[i]!(SECONDS / ROUNDS, samples[i]!);
    }
    agent.destroy();
    const rest = report('REST  POST /v2/models/bench/infer', samples[0]);
    const nats = report('NATS  publish request → prediction received (JetStream)', samples[1]);
    console.log(`NATS / REST: ${(nats.rps / rest.rps).toFixed(2)}× the throughput, ${(nats.p95 / rest.p95).toFixed(2)}× the p95 latency`);
  } finally {
    child?.kill('SIGTERM');
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
