/**
 * Ingestion throughput: 10-feature records sent through POST /api/v1/predictions — the real
 * route handler, called in-process with real Requests (auth, body parsing, validation, version
 * checks, dedupe, partitioned insert, in-transaction rollups) — next to a raw PostgreSQL COPY of
 * the same rows into a plain unindexed table, measured in the same run. Afterwards every
 * acknowledged record is counted in the database. API and COPY alternate over several rounds
 * (a fresh model each) and the spread of the ratio is printed: load from elsewhere on the
 * machine moves both. `next start` is not used: on this shared 2-core machine the HTTP server
 * would compete with PostgreSQL for the same cores.
 * Run: npm run bench:ingest  (BENCH_DATABASE_URL to use your own server; BENCH_RECORDS,
 * BENCH_BATCH, BENCH_CONCURRENCY, BENCH_ROUNDS to change the load).
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { scratchDatabase } from './support/scratch-database';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54359);
const NUMERIC = ['age', 'income', 'tenure', 'balance', 'visits', 'clicks', 'score_a', 'score_b'];
const CATEGORICAL = ['plan', 'country'];

function makeRecord(i: number) {
  const features: Record<string, number | string> = {};
  NUMERIC.forEach((name, k) => (features[name] = Math.round(((i * (k + 7)) % 1000) * 1.37 * 100) / 100));
  features.plan = ['free', 'pro', 'team'][i % 3]!;
  features.country = ['fr', 'de', 'us', 'jp', 'br'][i % 5]!;
  return { id: `b-${i}`, features, prediction: { label: i % 2 ? 'churn' : 'stay', score: (i % 100) / 100 }, latencyMs: 3 + (i % 40) };
}

async function main() {
  const { url, stop } = await scratchDatabase('bench-ingest', PORT);

  const { createUser } = await import('@/lib/server/users/create-user');
  const { createApiToken } = await import('@/lib/server/tokens/create-api-token');
  const { createModel } = await import('@/lib/server/registry/create-model');
  const { registerVersion } = await import('@/lib/server/registry/register-version');
  const { uploadReference } = await import('@/lib/server/monitoring/upload-reference');
  const { POST } = await import('@/app/api/v1/predictions/route');
  const { db } = await import('@/lib/db');
  const { stopBoss } = await import('@/lib/server/jobs/queue');
  const { closeMonitoringPool } = await import('@/lib/server/monitoring/pool');

  const { user } = await createUser({ input: { email: `bench-${Date.now()}@example.com`, name: 'Bench', roles: ['engineer'], password: 'bench password 123' }, actor: null });
  const { token } = await createApiToken({ userId: user.id, input: { name: 'bench' }, actor: null });
  const ctx = { actor: { id: user.id, email: user.email, name: user.name, roles: user.roles }, requestId: 'bench' };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The peer: the same rows as COPY text into a plain table of the same columns, no index.
  await client.query(
    `CREATE TABLE bench_copy (model_id uuid, ts timestamptz, environment_id uuid, version_id uuid, record_id text,
      num_values float8[], cat_values text[], pred_num float8, pred_label text, score float8, latency_ms real, error text)`,
  );

  /** One model per round, so every round stores all its records (none is a duplicate of an earlier round). */
  async function newModel(round: number) {
    const name = `bench-${Date.now().toString(36)}-${round}`;
    await createModel(ctx, { name, task: 'classification' });
    await registerVersion(ctx, name, {
      features: [...NUMERIC.map((n) => ({ name: n, type: 'numeric' as const })), ...CATEGORICAL.map((n) => ({ name: n, type: 'categorical' as const }))],
    });
    const reference = Array.from({ length: 5000 }, (_, i) => makeRecord(i * 7 + 3).features);
    await uploadReference(ctx, { model: name, version: 1, body: { rows: reference } });
    return name;
  }

  async function throughApi(name: string) {
    const bodies: string[] = [];
    for (let first = 0; first < RECORDS; first += BATCH) {
      const records = Array.from({ length: Math.min(BATCH, RECORDS - first) }, (_, i) => makeRecord(first + i));
      bodies.push(JSON.stringify({ model: name, environment: 'production', version: 1, records }));
    }
    let acknowledged = 0;
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const response = await POST(
            new Request('http://localhost/api/v1/predictions', {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body,
            }),
            { params: Promise.resolve({}) },
          );
          if (response.status !== 202) throw new Error(`${response.status} ${await response.text()}`);
          acknowledged += ((await response.json()) as { accepted: number }).accepted;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const stored = await client.query<{ n: number; d: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT record_id)::int AS d FROM monitoring_predictions p JOIN models m ON m.id = p.model_id WHERE m.name = $1`,
      [name],
    );
    const { n, d } = stored.rows[0]!;
    return { seconds, acknowledged, stored: n, allOnce: acknowledged === RECORDS && n === acknowledged && d === n };
  }

  async function throughCopy(name: string) {
    await client.query('TRUNCATE bench_copy');
    const ids = await client.query<{ m: string; e: string; v: string }>(
      `SELECT m.id AS m, (SELECT id FROM environments WHERE name = 'production') AS e, v.id AS v FROM models m JOIN model_versions v ON v."modelId" = m.id WHERE m.name = $1`,
      [name],
    );
    const { m, e, v } = ids.rows[0]!;
    const now = new Date().toISOString();
    // The COPY text is built before the clock starts, as the API's bodies are: both sides are
    // timed from ready-made bytes to committed rows. Sent in chunks of BATCH rows.
    const chunks: string[] = [];
    for (let first = 0; first < RECORDS; first += BATCH) {
      let chunk = '';
      for (let i = first; i < Math.min(first + BATCH, RECORDS); i++) {
        const r = makeRecord(i);
        const num = `{${NUMERIC.map((n) => r.features[n]).join(',')}}`;
        const cat = `{${CATEGORICAL.map((n) => r.features[n]).join(',')}}`;
        chunk += `${m}\t${now}\t${e}\t${v}\t${r.id}\t${num}\t${cat}\t\\N\t${r.prediction.label}\t${r.prediction.score}\t${r.latencyMs}\t\\N\n`;
      }
      chunks.push(chunk);
    }
    const started = process.hrtime.bigint();
    await pipeline(Readable.from(chunks), client.query(copyFrom('COPY bench_copy FROM STDIN')));
    return Number(process.hrtime.bigint() - started) / 1e9;
  }

  // API and COPY alternate, so a burst of load from elsewhere on the machine hits one round's
  // pair rather than one side of the comparison; every round is printed, then the spread.
  const mb = (JSON.stringify({ records: Array.from({ length: RECORDS }, (_, i) => makeRecord(i)) }).length / 1024 / 1024).toFixed(1);
  console.log(`records: ${RECORDS} with ${NUMERIC.length + CATEGORICAL.length} features per round, ${BATCH} per call (${mb} MB of JSON), ${CONCURRENCY} calls at a time, ${ROUNDS} rounds`);
  console.log(`${'round'.padEnd(6)} ${'API records/s'.padStart(14)} ${'COPY records/s'.padStart(15)} ${'ratio'.padStart(6)}  acknowledged records`);
  const ratios: number[] = [];
  let allPresent = true;
  for (let round = 1; round <= ROUNDS; round++) {
    const name = await newModel(round);
    const api = await throughApi(name);
    const copySeconds = await throughCopy(name);
    const apiRate = RECORDS / api.seconds;
    const copyRate = RECORDS / copySeconds;
    ratios.push(apiRate / copyRate);
    allPresent &&= api.allOnce;
    console.log(
      `${String(round).padEnd(6)} ${apiRate.toFixed(0).padStart(14)} ${copyRate.toFixed(0).padStart(15)} ${(apiRate / copyRate).toFixed(2).padStart(5)}×  ` +
        `${api.acknowledged} acknowledged, ${api.stored} stored: ${api.allOnce ? 'all present, once' : 'MISMATCH'}`,
    );
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(
    `ratio API/COPY: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}×, min ${sorted[0]!.toFixed(2)}×, max ${sorted[sorted.length - 1]!.toFixed(2)}× (target ≥ 0.25×); ` +
      `every acknowledged record present once: ${allPresent ? 'yes' : 'NO'}`,
  );

  const sizes = await client.query<{ rel: string; bytes: string; rows: string }>(
    `SELECT 'monitoring_predictions (all partitions)' AS rel,
            (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE 'mpred\\_%' AND c.relkind = 'r')::text AS bytes,
            (SELECT count(*) FROM monitoring_predictions)::text AS rows
     UNION ALL SELECT 'monitoring_record_ids', pg_total_relation_size('monitoring_record_ids')::text, (SELECT count(*) FROM monitoring_record_ids)::text
     UNION ALL SELECT 'monitoring_rollups', pg_total_relation_size('monitoring_rollups')::text, (SELECT count(*) FROM monitoring_rollups)::text
     UNION ALL SELECT 'bench_copy (peer)', pg_total_relation_size('bench_copy')::text, (SELECT count(*) FROM bench_copy)::text`,
  );
  const perRow = await client.query<{ avg: string }>('SELECT avg(pg_column_size(p.*))::numeric(10,1)::text AS avg FROM monitoring_predictions p');
  for (const row of sizes.rows) {
    console.log(`${row.rel.padEnd(40)} ${(Number(row.bytes) / 1024 / 1024).toFixed(1).padStart(8)} MB  ${row.rows.padStart(8)} rows  ${(Number(row.bytes) / Number(row.rows)).toFixed(0)} B/row`);
  }
  console.log(`average raw row (pg_column_size): ${perRow.rows[0]!.avg} B`);
  await client.end();
  await closeMonitoringPool();
  await stopBoss();
  await db().$disconnect();
  await stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
