/**
 * Batch scoring throughput: a 1M-row CSV through a batch job — the real path: the input
 * streamed to storage (staged, hashed, counted), then the `batch-run` job's runner reading
 * the stored file, scoring it with the model server's session code, appending the output,
 * fdatasyncing it and committing progress per chunk in PostgreSQL — next to the limit,
 * measured in the same process and run: the same file read with createReadStream, split at
 * newlines, each row's 8 numbers parsed into a Float32Array, and onnxruntime's session.run
 * called once per 5,000 rows (the job's session.run size), writing nothing and touching no
 * database. The limit and the job run interleaved (limit, job, limit, job, …) on this shared
 * machine and medians are reported; the job's time excludes staging the upload (printed apart).
 * With BENCH_MONITORING=on (default) jobs that also report every prediction to monitoring
 * (environment `batch`) follow, each after its own limit run.
 * Run: npm run bench:batch  (BENCH_ROWS, BENCH_ROUNDS (3), BENCH_MONITORING=off,
 * BENCH_MONITORING_ROUNDS (1), BATCH_CHUNK_ROWS / BATCH_COMMIT_MS, BENCH_DATABASE_URL).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import * as ort from 'onnxruntime-node';
import pg from 'pg';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { embeddedServer, embeddedUrl } from '@/lib/runtime/database';
import { applyMigrations } from '@/lib/runtime/migrate';
import { dataDir } from '@/lib/runtime/paths';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** Rows per session.run in the limit: the runner's session.run size (SCORE_ROWS in run-batch-job.ts). */
const CHUNK = 5_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MONITORING = (process.env.BENCH_MONITORING ?? 'on') !== 'off';
const MONITORING_ROUNDS = Number(process.env.BENCH_MONITORING_ROUNDS ?? 1);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54369);
const FEATURES = ['tenure', 'spend', 'tickets', 'visits', 'age', 'balance', 'clicks', 'score'];

async function writeCsv(file: string): Promise<number> {
  const out = createWriteStream(file);
  out.write(FEATURES.join(',') + '\n');
  let batch = '';
  for (let i = 1; i <= ROWS; i++) {
    batch += FEATURES.map((_, k) => ((i * (k + 7)) % 1000) / 100).join(',') + '\n';
    if (i % 10_000 === 0) {
      if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = '';
    }
  }
  out.end(batch);
  await finished(out);
  return (await stat(file)).size;
}

/** The limit: read the same file, parse the same numbers, session.run per chunk — nothing else. */
async function plainLoop(file: string, model: Uint8Array): Promise<number> {
  const session = await ort.InferenceSession.create(model);
  const started = performance.now();
  const width = FEATURES.length;
  let buffer = new Float32Array(CHUNK * width);
  let rows = 0;
  let total = 0;
  let carry = '';
  let header = true;
  const flush = async () => {
    if (rows === 0) return;
    await session.run({ X: new ort.Tensor('float32', buffer.subarray(0, rows * width), [rows, width]) });
    total += rows;
    rows = 0;
    buffer = new Float32Array(CHUNK * width);
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop()!;
    for (const line of lines) {
      if (header) {
        header = false;
        continue;
      }
      if (!line) continue;
      const cells = line.split(',');
      for (let k = 0; k < width; k++) buffer[rows * width + k] = Number(cells[k]);
      rows += 1;
      if (rows === CHUNK) await flush();
    }
  }
  await flush();
  await session.release();
  if (total !== ROWS) throw new Error(`the plain loop scored ${total} rows, not ${ROWS}`);
  return (performance.now() - started) / 1000;
}

async function main() {
  let url = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const dir = path.join(dataDir, 'bench-batch-pg');
    await rm(dir, { recursive: true, force: true });
    const password = randomBytes(8).toString('hex');
    const server = embeddedServer(dir, PORT, password);
    await server.initialise();
    await server.start();
    const admin = new pg.Client({ connectionString: embeddedUrl(PORT, password, 'postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    url = embeddedUrl(PORT, password, 'bench');
    stop = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  await applyMigrations(url);
  const work = await mkdtemp(path.join(tmpdir(), 'modeldeck-bench-batch-'));
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_SECRET ??= randomBytes(24).toString('hex');
  process.env.LOG_LEVEL ??= 'error';
  process.env.BATCH_DIR = path.join(work, 'batch');
  process.env.ARTIFACT_DIR = path.join(work, 'artifacts');

  const { createUser } = await import('@/lib/server/users/create-user');
  const { createModel } = await import('@/lib/server/registry/create-model');
  const { registerVersion } = await import('@/lib/server/registry/register-version');
  const { uploadArtifact } = await import('@/lib/server/registry/upload-artifact');
  const { createEnvironment } = await import('@/lib/server/environments/create-environment');
  const { createBatchJob, formatNamed } = await import('@/lib/server/batch/create-batch-job');
  const { runBatchJob } = await import('@/lib/server/batch/run-batch-job');
  const { db } = await import('@/lib/db');
  const { stopBoss } = await import('@/lib/server/jobs/queue');
  const { closeMonitoringPool } = await import('@/lib/server/monitoring/pool');

  const { user } = await createUser({ input: { email: `bench-${Date.now()}@example.com`, name: 'Bench', roles: ['admin'], password: 'bench password 123' }, actor: null });
  const ctx = { actor: { id: user.id, email: user.email, name: user.name, roles: user.roles }, requestId: 'bench' };
  const name = `bench-${Date.now().toString(36)}`;
  await createModel(ctx, { name, task: 'classification' });
  await registerVersion(ctx, name, { format: 'onnx', features: FEATURES.map((n) => ({ name: n, type: 'numeric' as const })) });
  const onnx = writeLinearModel({ kind: 'logistic', featureNames: FEATURES, weights: FEATURES.map((_, k) => (k % 2 ? -0.1 : 0.1) * (k + 1)), bias: -0.2 });
  await uploadArtifact(ctx, { model: name, version: 1, body: Readable.toWeb(Readable.from([Buffer.from(onnx)])) as ReadableStream<Uint8Array> });

  const file = path.join(work, 'input.csv');
  const bytes = await writeCsv(file);
  console.log(`input: ${ROWS.toLocaleString()} rows × ${FEATURES.length} features, ${(bytes / 1024 ** 2).toFixed(1)} MiB CSV`);

  const limit = async () => {
    const seconds = await plainLoop(file, onnx);
    const rate = ROWS / seconds;
    console.log(`limit  plain loop (read, split, parse to Float32Array, session.run per ${CHUNK.toLocaleString()} rows): ${seconds.toFixed(2)} s  ${Math.round(rate).toLocaleString()} rows/s`);
    return rate;
  };
  const runJob = async (environment: string | undefined, label: string) => {
    const stageStart = performance.now();
    const job = await createBatchJob(ctx, {
      model: name,
      version: 1,
      input: { stream: createReadStream(file), format: formatNamed('csv'), gzip: false, source: 'upload' },
      environment,
    });
    const staged = (performance.now() - stageStart) / 1000;
    const runStart = performance.now();
    await runBatchJob(job.id);
    const ran = (performance.now() - runStart) / 1000;
    const done = await db().batchJob.findUniqueOrThrow({ where: { id: job.id } });
    if (done.status !== 'succeeded' || done.rowsDone !== ROWS || done.rowsFailed !== 0) throw new Error(`job ended ${done.status} with ${done.rowsDone} rows`);
    const rate = ROWS / ran;
    console.log(`job    ${label}: upload staged in ${staged.toFixed(2)} s; job ${ran.toFixed(2)} s  ${Math.round(rate).toLocaleString()} rows/s  (${done.chunksDone} chunks committed)`);
    return rate;
  };
  const limits: number[] = [];
  const jobs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    limits.push(await limit());
    jobs.push(await runJob(undefined, 'no monitoring'));
  }
  const monitored: number[] = [];
  if (MONITORING) {
    await createEnvironment(ctx, { name: 'batch' } as never);
    for (let round = 0; round < MONITORING_ROUNDS; round++) {
      limits.push(await limit());
      monitored.push(await runJob('batch', 'every prediction to monitoring'));
    }
  }
  const limitRate = median(limits);
  const summary = (label: string, rates: number[]) =>
    console.log(`${label} median ${Math.round(median(rates)).toLocaleString()} rows/s  = ${(median(rates) / limitRate).toFixed(2)}× the limit`);
  console.log(`\nchunks: BATCH_CHUNK_ROWS=${process.env.BATCH_CHUNK_ROWS ?? 'default'}, BATCH_COMMIT_MS=${process.env.BATCH_COMMIT_MS ?? 'default'}`);
  console.log(`limit                    median ${Math.round(limitRate).toLocaleString()} rows/s  (${limits.length} runs)`);
  summary(`job, no monitoring       `, jobs);
  if (monitored.length) summary(`job, with monitoring     `, monitored);

  await closeMonitoringPool();
  await stopBoss();
  await db().$disconnect();
  await rm(work, { recursive: true, force: true });
  await stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
