/**
 * Rollouts under load: a constant stream of predictions (BENCH_RPS, default 200 req/s) to an
 * environment's endpoint on the real model server, while the dashboard's job worker does
 * BENCH_CYCLES (default 5) promotions (replace, approved by a reviewer) and as many rollbacks.
 * Prints failed requests (target 0) and, per operation, the time from the approval (or the
 * rollback click) to the first answer from the new version — the switch is atomic, so from
 * then on 100 % of requests go to it (target ≤ 3 s). The limit these times are paid against,
 * the job queue's polling interval (1 s), is printed next to them.
 * Run: npm run bench:rollout  (BENCH_DATABASE_URL to use your own PostgreSQL).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { startEmbeddedModelServer } from '@/lib/cli/model-server';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { embeddedServer, embeddedUrl } from '@/lib/runtime/database';
import { applyMigrations } from '@/lib/runtime/migrate';
import { dataDir } from '@/lib/runtime/paths';

const RPS = Number(process.env.BENCH_RPS ?? 200);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 5);
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54359);

async function database(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const dir = path.join(dataDir, 'bench-rollout-pg');
  await rm(dir, { recursive: true, force: true });
  const password = randomBytes(8).toString('hex');
  const server = embeddedServer(dir, PG_PORT, password);
  await server.initialise();
  await server.start();
  const admin = new pg.Client({ connectionString: embeddedUrl(PG_PORT, password, 'postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  return {
    url: embeddedUrl(PG_PORT, password, 'bench'),
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Answer {
  sentAt: number;
  doneAt: number;
  version: string | null;
  ok: boolean;
  error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), 'bench-rollout-'));
  const { url, stop } = await database();
  await applyMigrations(url);
  process.env.DATABASE_URL = url;
  process.env.MODELDECK_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  const token = randomBytes(16).toString('hex');
  const modelServer = await startEmbeddedModelServer({ port: '0', token, stateDir: path.join(work, 'model-server') });

  const { db } = await import('@/lib/db');
  const { createUser } = await import('@/lib/server/users/create-user');
  const { createModel } = await import('@/lib/server/registry/create-model');
  const { registerVersion } = await import('@/lib/server/registry/register-version');
  const { createEnvironment } = await import('@/lib/server/environments/create-environment');
  const { configureEnvironmentBackend } = await import('@/lib/server/deployments/configure-environment-backend');
  const { requestPromotion } = await import('@/lib/server/promotions/request-promotion');
  const { approveRelease } = await import('@/lib/server/promotions/review-release');
  const { rollbackEnvironment } = await import('@/lib/server/promotions/rollback-environment');
  const { startWorkers } = await import('@/lib/server/jobs/start-workers');
  const { stopBoss } = await import('@/lib/server/jobs/queue');

  const person = async (role: 'admin' | 'engineer' | 'reviewer') => {
    const { user } = await createUser({ input: { email: `${role}-${randomBytes(3).toString('hex')}@bench.example`, name: role, roles: [role], password: 'bench-password-1' }, actor: null });
    return { actor: { id: user.id, email: user.email, name: user.name, roles: user.roles }, requestId: 'bench' };
  };
  const [admin, engineer, reviewer] = [await person('admin'), await person('engineer'), await person('reviewer')];
  const environment = 'bench';
  await createEnvironment(admin, { name: environment, requiredApprovals: 1 });
  await configureEnvironmentBackend(admin, environment, { type: 'local', config: { url: modelServer.url }, secret: token });
  const model = 'bench-model';
  await createModel(engineer, { name: model, task: 'classification' });
  for (const weight of [3, -3]) {
    const bytes = writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b', 'c'], weights: [weight, 1, 1], bias: 0 });
    const file = path.join(work, `v${weight}.onnx`);
    await writeFile(file, bytes);
    await registerVersion(engineer, model, { artifactUri: pathToFileURL(file).href, artifactSha256: createHash('sha256').update(bytes).digest('hex') });
  }
  await startWorkers();

  const liveVersion = async () =>
    (await db().release.findFirst({ where: { model: { name: model }, environment: { name: environment }, status: 'live', slot: 'primary' }, include: { version: true } }))?.version.version ?? null;
  const waitLive = async (version: number) => {
    while ((await liveVersion()) !== version) await sleep(20);
  };
  const promote = async (version: number) => {
    const { release } = await requestPromotion(engineer, { model, version, input: { environment } });
    const approvedAt = Date.now();
    await approveRelease(reviewer, release.id);
    return approvedAt;
  };

  // v1 live before the load starts.
  await promote(1);
  await waitLive(1);

  const endpoint = `${modelServer.url}/environments/${environment}/v2/models/${model}/infer`;
  const load = new Worker(new URL('./rollout-load.mjs', import.meta.url), { workerData: { endpoint, rps: RPS } });
  const collected = new Promise<Answer[]>((resolve, reject) => {
    load.once('message', resolve);
    load.once('error', reject);
  });
  // Answers arrive when the load stops; times are compared with Date.now() of this thread.
  let answers: Answer[] = [];
  await sleep(1000);
  const firstAnswerFrom = (version: number, after: number) =>
    answers.filter((a) => a.ok && a.sentAt >= after && a.version === String(version)).reduce((min, a) => Math.min(min, a.doneAt), Infinity);
  const promotionStarts: number[] = [];
  const rollbackStarts: number[] = [];
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    promotionStarts.push(await promote(2));
    await waitLive(2);
    await sleep(300);

    rollbackStarts.push(Date.now());
    await rollbackEnvironment(engineer, { model, environment });
    await waitLive(1);
    await sleep(300);
  }
  await sleep(500);
  load.postMessage('stop');
  answers = await collected;
  await load.terminate();

  const promotions = promotionStarts.map((at) => firstAnswerFrom(2, at) - at);
  const rollbacks = rollbackStarts.map((at) => firstAnswerFrom(1, at) - at);
  const failed = answers.filter((a) => !a.ok);
  const seconds = (Math.max(...answers.map((a) => a.doneAt)) - Math.min(...answers.map((a) => a.sentAt))) / 1000;
  const latencies = answers.filter((a) => a.ok).map((a) => a.doneAt - a.sentAt);
  const fmt = (values: number[]) => `median ${(percentile(values, 50) / 1000).toFixed(2)} s, max ${(Math.max(...values) / 1000).toFixed(2)} s`;
  console.log(`requests: ${answers.length} in ${seconds.toFixed(1)} s (${(answers.length / seconds).toFixed(0)} req/s offered at ${RPS})`);
  console.log(`failed requests: ${failed.length}   (target 0)${failed.length ? `  e.g. ${failed[0]!.error}` : ''}`);
  console.log(`prediction latency: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`);
  console.log(`approval → 100 % new version, ${CYCLES} promotions: ${fmt(promotions)}   (target ≤ 3 s; job polling interval 1 s)`);
  console.log(`rollback click → 100 % previous version, ${CYCLES} rollbacks: ${fmt(rollbacks)}   (target ≤ 3 s)`);

  await stopBoss();
  await db().$disconnect();
  await modelServer.stop();
  await stop();
  await rm(work, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
