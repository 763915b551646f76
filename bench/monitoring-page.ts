/**
 * Monitoring pages' response times for 20 concurrent users, over 90 days of hourly rollups of a
 * 30-feature model: the tab's five requests (performance, drift series, release lines, a
 * feature's distribution, the prediction's distribution) at the 90-day range (daily buckets:
 * whole days from the daily rollups) and the 7-day range (hourly buckets), and the manager
 * overview's 30-day window. The rollups are generated in SQL in a scratch database — one
 * version, 100 predictions an hour with labels, bins drifting slowly — and folded into the
 * daily rollups ingestion keeps beside them; the product's demo data is not touched.
 *
 * The target figure is the session run: 20 people opening pages one after another with a
 * think time between (exponential, mean 7 s as in TPC-W), every response timed. Beside it,
 * limit runs with no think time at all — 20 users each firing a whole page's requests at
 * once, again and again, 100 requests in flight on 2 cores — and in those same conditions the
 * peers: the floor (GET /api/v1/models/{name}, a one-row registry read through the same auth
 * and route wrapper) and GET …/drift over a day of raw rows (2,400 records sent through the
 * API). Route handlers are called in-process with real Requests (no `next start`: on this
 * shared 2-core machine an HTTP server would compete with PostgreSQL for the same cores).
 * Run: npm run bench:monitoring  (BENCH_DATABASE_URL to use your own server; BENCH_USERS,
 * BENCH_ROUNDS, BENCH_THINK_MS, BENCH_SESSION_SECONDS to change the load).
 */
import pg from 'pg';
import { scratchDatabase } from './support/scratch-database';

const USERS = Number(process.env.BENCH_USERS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54369);
const FEATURES = Array.from({ length: 30 }, (_, i) => `f${String(i).padStart(2, '0')}`);
const DAYS = 90;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TARGET_MS = 150;
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 7000);
const SESSION_SECONDS = Number(process.env.BENCH_SESSION_SECONDS ?? 90);

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function main() {
  const { url, stop } = await scratchDatabase('bench-monitoring', PORT);

  const { createUser } = await import('@/lib/server/users/create-user');
  const { createApiToken } = await import('@/lib/server/tokens/create-api-token');
  const { createModel } = await import('@/lib/server/registry/create-model');
  const { registerVersion } = await import('@/lib/server/registry/register-version');
  const { uploadReference } = await import('@/lib/server/monitoring/upload-reference');
  const { db } = await import('@/lib/db');
  const { stopBoss } = await import('@/lib/server/jobs/queue');
  const { closeMonitoringPool } = await import('@/lib/server/monitoring/pool');
  const routes = {
    performance: (await import('@/app/api/v1/models/[name]/performance/route')).GET as Handler,
    driftSeries: (await import('@/app/api/v1/models/[name]/drift/series/route')).GET as Handler,
    releases: (await import('@/app/api/v1/models/[name]/monitoring/releases/route')).GET as Handler,
    distribution: (await import('@/app/api/v1/models/[name]/monitoring/distribution/route')).GET as Handler,
    drift: (await import('@/app/api/v1/models/[name]/drift/route')).GET as Handler,
    model: (await import('@/app/api/v1/models/[name]/route')).GET as Handler,
    overview: (await import('@/app/api/v1/monitoring/overview/route')).GET as Handler,
    predictions: (await import('@/app/api/v1/predictions/route')).POST as Handler,
  };

  const { user } = await createUser({ input: { email: `bench-${Date.now()}@example.com`, name: 'Bench', roles: ['engineer'], password: 'bench password 123' }, actor: null });
  const { token } = await createApiToken({ userId: user.id, input: { name: 'bench' }, actor: null });
  const ctx = { actor: { id: user.id, email: user.email, name: user.name, roles: user.roles }, requestId: 'bench' };
  const name = `bench-${Date.now().toString(36)}`;
  await createModel(ctx, { name, task: 'classification' });
  await registerVersion(ctx, name, { features: FEATURES.map((feature) => ({ name: feature, type: 'numeric' as const })) });
  // Reference: 0…999 per feature, so its decile bins hold 100 values each.
  const columns = Object.fromEntries([...FEATURES, 'prediction'].map((f) => [f, Array.from({ length: 1000 }, (_, i) => (f === 'prediction' ? i / 1000 : i))]));
  await uploadReference(ctx, { model: name, version: 1, body: { columns } });
  const model = await db().model.findUniqueOrThrow({ where: { name }, include: { versions: true } });
  const production = await db().environment.findUniqueOrThrow({ where: { name: 'production' } });
  const now = Date.now();
  const end = Math.floor(now / HOUR) * HOUR;
  const start = end - DAYS * DAY;
  await db().release.create({
    data: { modelId: model.id, versionId: model.versions[0]!.id, environmentId: production.id, status: 'live', slot: 'primary', requestedById: user.id, liveAt: new Date(start - DAY) },
  });

  // 90 days of hourly rollups, written in SQL: per hour 100 predictions (2 % errors, latencies
  // in 5 sketch buckets), 100 labels in a confusion matrix and score histogram, and per column
  // n/sum/sumsq and 10 bin counts (summing to n) that drift with the hour.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = performance.now();
  const hours = `generate_series($3::timestamptz, $4::timestamptz - interval '1 hour', interval '1 hour') AS h(bucket)`;
  const base = [model.id, production.id, new Date(start), new Date(end), model.versions[0]!.id];
  await client.query(
    `INSERT INTO monitoring_rollups (model_id, environment_id, version_id, bucket, series, cells)
     SELECT $1::uuid, $2::uuid, $5::uuid, h.bucket, 'records',
       '{"n": 100, "error": 2, "lat_sum": 1500, "lat:40": 30, "lat:45": 40, "lat:50": 20, "lat:55": 8, "lat:70": 2}'::jsonb FROM ${hours}
     UNION ALL
     SELECT $1::uuid, $2::uuid, $5::uuid, h.bucket, 'labels',
       '{"n": 100, "cm:1|1": 40, "cm:0|0": 45, "cm:1|0": 8, "cm:0|1": 7, "score:1|15": 40, "score:1|8": 7, "score:0|3": 45, "score:0|12": 8}'::jsonb FROM ${hours}`,
    base,
  );
  await client.query(
    `INSERT INTO monitoring_rollups (model_id, environment_id, version_id, bucket, series, cells)
     SELECT $1::uuid, $2::uuid, $5::uuid, h.bucket, s.series,
       jsonb_build_object('n', 100, 'sum', 50000, 'sumsq', 33000000, 'bin:0', 10 + shift.d, 'bin:1', 10, 'bin:2', 10, 'bin:3', 10, 'bin:4', 10,
                          'bin:5', 10, 'bin:6', 10, 'bin:7', 10, 'bin:8', 10, 'bin:9', 10 - shift.d)
     FROM ${hours}
     CROSS JOIN unnest($6::text[]) AS s(series)
     CROSS JOIN LATERAL (
       SELECT (extract(epoch FROM h.bucket)::bigint / 3600 % 9)::int AS d
     ) AS shift`,
    [...base, [...FEATURES.map((f) => `f:${f}`), 'prediction']],
  );
  // The daily rollups ingestion keeps alongside (the same cells summed per UTC day).
  await client.query(
    `INSERT INTO monitoring_rollups_daily (model_id, environment_id, version_id, bucket, series, cells)
     SELECT model_id, environment_id, version_id, day, series, jsonb_object_agg(cell, total)
     FROM (
       SELECT model_id, environment_id, version_id, date_bin('1 day', bucket, timestamptz 'epoch') AS day, series, c.cell, sum(c.value::float8) AS total
       FROM monitoring_rollups, jsonb_each_text(cells) AS c(cell, value)
       WHERE model_id = $1 GROUP BY 1, 2, 3, 4, 5, 6
     ) AS summed
     GROUP BY 1, 2, 3, 4, 5`,
    [model.id],
  );
  await client.query('ANALYZE monitoring_rollups');
  await client.query('ANALYZE monitoring_rollups_daily');
  const { rows: counted } = await client.query<{ n: string; d: string }>(
    'SELECT (SELECT count(*) FROM monitoring_rollups)::text AS n, (SELECT count(*) FROM monitoring_rollups_daily)::text AS d',
  );
  console.log(
    `rollups: ${Number(counted[0]!.n).toLocaleString('en')} hourly rows (${DAYS} days × 24 h × (31 columns + records + labels)), ${Number(counted[0]!.d).toLocaleString('en')} daily rows, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // A day of raw rows for the peer: 2,400 records through the API (100 an hour).
  for (let hour = 0; hour < 24; hour++) {
    const records = Array.from({ length: 100 }, (_, i) => ({
      id: `raw-${hour}-${i}`,
      timestamp: new Date(now - (hour + 1) * HOUR + i * 30_000).toISOString(),
      features: Object.fromEntries(FEATURES.map((f, k) => [f, (i * (k + 7) + hour * 13) % 1000])),
      prediction: { label: i % 2 ? '1' : '0', score: (i % 100) / 100 },
      latencyMs: 5 + (i % 20),
    }));
    const response = await routes.predictions(
      new Request('http://bench/api/v1/predictions', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: name, environment: 'production', records }) }),
      { params: Promise.resolve({}) },
    );
    if (response.status !== 202) throw new Error(`ingest: ${response.status} ${await response.text()}`);
  }

  /** A request's time; a failure (e.g. no pool connection within 5 s) is counted, not thrown. */
  const failures = new Map<string, number>();
  const get = async (handler: Handler, pathAndQuery: string): Promise<number> => {
    const started = performance.now();
    const response = await handler(new Request(`http://bench${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ name }) });
    const body = await response.text();
    if (response.status !== 200) {
      const key = `${pathAndQuery.split('?')[0]} → ${response.status}`;
      failures.set(key, (failures.get(key) ?? 0) + 1);
      if (failures.get(key) === 1) console.log(`  failed: ${key} ${body.slice(0, 200)}`);
    }
    return performance.now() - started;
  };
  const window = (span: number, bucket: '1h' | '1d') => `environment=production&from=${new Date(now - span).toISOString()}&to=${new Date(now).toISOString()}&bucket=${bucket}`;
  const m = `/api/v1/models/${name}`;
  const tab = (span: number, bucket: '1h' | '1d') => {
    const w = window(span, bucket);
    return {
      performance: () => get(routes.performance, `${m}/performance?${w}`),
      'drift/series': () => get(routes.driftSeries, `${m}/drift/series?${w}`),
      releases: () => get(routes.releases, `${m}/monitoring/releases?${w}`),
      'distribution f07': () => get(routes.distribution, `${m}/monitoring/distribution?${w}&column=f07`),
      'distribution prediction': () => get(routes.distribution, `${m}/monitoring/distribution?${w}&column=prediction`),
    };
  };

  /** USERS concurrent users, each doing ROUNDS page loads (all requests of a load at once). */
  async function measure(label: string, requests: Record<string, () => Promise<number>>, users = USERS) {
    const times = new Map<string, number[]>(Object.keys(requests).map((k) => [k, []]));
    const pages: number[] = [];
    for (const request of Object.values(requests)) await request(); // warm
    const started = performance.now();
    await Promise.all(
      Array.from({ length: users }, async () => {
        for (let round = 0; round < ROUNDS; round++) {
          const t = performance.now();
          await Promise.all(Object.entries(requests).map(async ([key, request]) => times.get(key)!.push(await request())));
          pages.push(performance.now() - t);
        }
      }),
    );
    const wall = performance.now() - started;
    console.log(`\n${label} — ${users} users × ${ROUNDS} loads, ${(wall / 1000).toFixed(1)} s`);
    for (const [key, list] of times) {
      const sorted = list.sort((a, b) => a - b);
      console.log(`  ${key.padEnd(26)} p50 ${percentile(sorted, 0.5).toFixed(0).padStart(6)} ms   p95 ${percentile(sorted, 0.95).toFixed(0).padStart(6)} ms`);
    }
    const sortedPages = pages.sort((a, b) => a - b);
    const p95 = percentile(sortedPages, 0.95);
    console.log(`  ${'whole tab (all requests)'.padEnd(26)} p50 ${percentile(sortedPages, 0.5).toFixed(0).padStart(6)} ms   p95 ${p95.toFixed(0).padStart(6)} ms`);
    return p95;
  }

  /**
   * USERS people using the pages as people do: each opens a page — the tab at 90 days or at 7
   * days, or the overview — reads it for a think time drawn from an exponential distribution
   * (mean THINK_MS, TPC-W's 7 s by default, capped at 10×), then opens the next. Starts are
   * spread over the first think time. Every response's time counts.
   */
  async function session(label: string, seconds: number) {
    const pages: Record<string, Record<string, () => Promise<number>>> = {
      '90 d': tab(DAYS * DAY, '1d'),
      '7 d': tab(7 * DAY, '1h'),
      overview: { overview: () => get(routes.overview, '/api/v1/monitoring/overview?window=30d') },
    };
    const names = Object.keys(pages);
    const times: number[] = [];
    const byRequest = new Map<string, number[]>();
    let loads = 0;
    const end = performance.now() + seconds * 1000;
    const think = () => Math.min(10 * THINK_MS, -Math.log(1 - Math.random()) * THINK_MS);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all(
      Array.from({ length: USERS }, async () => {
        await sleep(Math.random() * THINK_MS);
        while (performance.now() < end) {
          const name = names[Math.floor(Math.random() * names.length)]!;
          await Promise.all(
            Object.entries(pages[name]!).map(async ([key, request]) => {
              const time = await request();
              times.push(time);
              const label = key === 'overview' ? key : `${name} ${key}`;
              byRequest.set(label, [...(byRequest.get(label) ?? []), time]);
            }),
          );
          loads++;
          await sleep(think());
        }
      }),
    );
    const sorted = times.sort((a, b) => a - b);
    const p95 = percentile(sorted, 0.95);
    console.log(`\n${label} — ${USERS} users, ${seconds} s, ${loads} page loads, ${times.length} responses`);
    for (const [key, list] of [...byRequest].sort(([a], [b]) => a.localeCompare(b))) {
      const each = list.sort((a, b) => a - b);
      console.log(`  ${key.padEnd(30)} p50 ${percentile(each, 0.5).toFixed(0).padStart(6)} ms   p95 ${percentile(each, 0.95).toFixed(0).padStart(6)} ms   (${each.length})`);
    }
    console.log(`  ${'every response'.padEnd(30)} p50 ${percentile(sorted, 0.5).toFixed(0).padStart(6)} ms   p95 ${p95.toFixed(0).padStart(6)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(6)} ms`);
    return p95;
  }

  const floor = await measure('floor: GET /api/v1/models/{name}', { model: () => get(routes.model, m) });
  const raw = await measure('peer: GET …/drift over 1 day of raw rows (2,400 records × 30 features, exact KS + Wasserstein)', {
    drift: () => get(routes.drift, `${m}/drift?environment=production&from=${new Date(now - DAY).toISOString()}`),
  });
  const alone = await measure('Monitoring tab, 90 days, daily buckets (rollups), one user', tab(DAYS * DAY, '1d'), 1);
  const ninety = await measure('Monitoring tab, 90 days, daily buckets (rollups)', tab(DAYS * DAY, '1d'));
  const seven = await measure('Monitoring tab, 7 days, hourly buckets (rollups)', tab(7 * DAY, '1h'));
  const overview = await measure('Manager overview, 30-day window (rollups of every model)', { overview: () => get(routes.overview, '/api/v1/monitoring/overview?window=30d') });
  const people = await session(`${USERS} people reading the pages (tab at 90 d or 7 d, or the overview; think time mean ${THINK_MS / 1000} s)`, SESSION_SECONDS);
  console.log(
    `\n${USERS} people with think time: p95 ${people.toFixed(0)} ms per response (target ≤ ${TARGET_MS} ms)` +
      `\nlimit runs, no think time (${USERS} users × 5 requests at once): whole-tab p95 90 d ${ninety.toFixed(0)} ms, 7 d ${seven.toFixed(0)} ms, overview ${overview.toFixed(0)} ms; floor ${floor.toFixed(0)} ms; raw drift peer ${raw.toFixed(0)} ms (one user, 90 d: ${alone.toFixed(0)} ms)`,
  );
  console.log(failures.size === 0 ? 'no failed requests' : `failed requests: ${[...failures].map(([k, n]) => `${k} × ${n}`).join(', ')}`);

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
