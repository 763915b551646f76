import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { applyRetention, maintainMonitoring } from '@/lib/server/monitoring/apply-retention';
import { listDayPartitions } from '@/lib/server/monitoring/partitions';
import { closeMonitoringPool, monitoringPool } from '@/lib/server/monitoring/pool';
import { rebuildRollups, recomputeRollups } from '@/lib/server/monitoring/rebuild-rollups';
import { sumPerDay } from '@/lib/server/monitoring/rollups';
import { categoricalDriftFromCounts, type CategoryCounts } from '@/lib/stats/drift';
import { createTestUser, rawQuery } from '../helpers';
import { monitoringApi as m } from '../monitoring-api';
import { api } from '../registry-api';

const DAY = 86_400_000;
const FEATURES = [
  { name: 'age', type: 'numeric' },
  { name: 'income', type: 'numeric' },
  { name: 'plan', type: 'categorical' },
  { name: 'email', type: 'categorical', sensitive: true },
];

let engineer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  engineer = await createTestUser(['engineer']);
  viewer = await createTestUser(['viewer']);
});

afterAll(async () => {
  await closeMonitoringPool();
});

/** A classification model with `versions` versions sharing the feature schema. */
async function newModel(versions = 1, task: 'classification' | 'regression' = 'classification') {
  const name = `mon-${randomBytes(3).toString('hex')}`;
  expect((await api.createModel(engineer.token, { name, task })).status).toBe(201);
  for (let i = 0; i < versions; i++) {
    const registered = await api.registerVersion(engineer.token, name, { features: FEATURES });
    expect(registered.status, registered.text).toBe(201);
  }
  const model = await db().model.findUniqueOrThrow({ where: { name }, include: { versions: { orderBy: { version: 'asc' } } } });
  return { name, id: model.id, versionIds: model.versions.map((v) => v.id) };
}

function record(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `r-${i}`,
    features: { age: 20 + (i % 50), income: 1000 * (i % 7), plan: i % 3 === 0 ? 'pro' : 'free', email: `user${i % 5}@example.com` },
    prediction: { label: i % 2 === 0 ? 'churn' : 'stay', score: (i % 10) / 10 },
    latencyMs: 5 + (i % 20),
    ...extra,
  };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

async function countRows(modelId: string) {
  const { rows } = await rawQuery(`SELECT count(*)::int AS n, count(DISTINCT record_id)::int AS d FROM monitoring_predictions WHERE model_id = '${modelId}'`);
  return rows[0] as { n: number; d: number };
}

async function rollup(modelId: string, series: string, cell: string) {
  const { rows } = await rawQuery(
    `SELECT coalesce(sum((cells ->> '${cell}')::float8), 0)::float8 AS v FROM monitoring_rollups WHERE model_id = '${modelId}' AND series = '${series}'`,
  );
  return (rows[0] as { v: number }).v;
}

/** The stored hourly (or daily) rollups, keyed like RollupDeltas, for comparing with a recomputation. */
async function storedRollups(modelId: string, table = 'monitoring_rollups') {
  const { rows } = await rawQuery(`SELECT environment_id, version_id, bucket, series, c.cell, c.value::float8 AS value FROM ${table}, jsonb_each_text(cells) AS c(cell, value) WHERE model_id = '${modelId}'`);
  return new Map(
    (rows as { environment_id: string; version_id: string; bucket: Date; series: string; cell: string; value: number }[]).map((r) => [
      `${r.environment_id}\u0000${r.version_id}\u0000${r.bucket.getTime()}\u0000${r.series}\u0000${r.cell}`,
      r.value,
    ]),
  );
}

async function expectRollupsMatchRaw(modelId: string) {
  const client = await monitoringPool().connect();
  try {
    const recomputed = (await recomputeRollups(client, modelId)).cells;
    const stored = await storedRollups(modelId);
    expect([...stored.keys()].sort()).toEqual([...recomputed.keys()].sort());
    for (const [key, value] of recomputed) expect(stored.get(key)!, key).toBeCloseTo(value, 6);
    // The daily rollups hold the same cells summed per UTC day.
    const recomputedDays = sumPerDay(recomputed);
    const storedDays = await storedRollups(modelId, 'monitoring_rollups_daily');
    expect([...storedDays.keys()].sort()).toEqual([...recomputedDays.keys()].sort());
    for (const [key, value] of recomputedDays) expect(storedDays.get(key)!, key).toBeCloseTo(value, 6);
  } finally {
    client.release();
  }
}

describe('POST /api/v1/predictions', () => {
  it('stores a JSON batch and answers 202 once it is committed, counted in the hourly rollups', async () => {
    const model = await newModel();
    const response = await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, range(50).map((i) => record(i)));
    expect(response.status, response.text).toBe(202);
    expect(response.body).toEqual({ accepted: 50, duplicates: 0 });
    expect(await countRows(model.id)).toEqual({ n: 50, d: 50 });
    expect(await rollup(model.id, 'records', 'n')).toBe(50);
    expect(await rollup(model.id, 'f:age', 'n')).toBe(50);
    expect(await rollup(model.id, 'prediction_label', 'cat:churn')).toBe(25);
  });

  it('accepts NDJSON, gzip, and both', async () => {
    const model = await newModel();
    const header = { model: model.name, environment: 'staging', version: 1 };
    expect((await m.predictions(engineer.token, header, range(10).map((i) => record(i)), { ndjson: true })).status).toBe(202);
    expect((await m.predictions(engineer.token, header, range(10, 10).map((i) => record(i)), { gzip: true })).status).toBe(202);
    const both = await m.predictions(engineer.token, header, range(10, 20).map((i) => record(i)), { ndjson: true, gzip: true });
    expect(both.status, both.text).toBe(202);
    expect(await countRows(model.id)).toEqual({ n: 30, d: 30 });
  });

  it('refuses more than 10,000 records or 10 MB (also once inflated) with 413, storing nothing', async () => {
    const model = await newModel();
    const header = { model: model.name, environment: 'production', version: 1 };
    const tooMany = await m.predictions(engineer.token, header, range(10_001).map((i) => ({ features: {}, prediction: i })), { ndjson: true });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.detail).toMatch(/10001 records; send at most 10000/);
    const padding = ' '.repeat(11 * 1024 * 1024);
    const bomb = gzipSync(JSON.stringify({ ...header, records: [record(1)] }) + padding);
    expect(bomb.byteLength).toBeLessThan(100_000);
    const inflated = await m.rawPredictions(engineer.token, new Uint8Array(bomb), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
    expect(await countRows(model.id)).toEqual({ n: 0, d: 0 });
  });

  it('stores nothing twice when a batch is retried (idempotent on record id)', async () => {
    const model = await newModel();
    const header = { model: model.name, environment: 'production', version: 1 };
    // No timestamps: a retry gets a different "now", yet the ids make it the same records.
    const batch = range(20).map((i) => record(i));
    expect((await m.predictions(engineer.token, header, batch)).body).toEqual({ accepted: 20, duplicates: 0 });
    const retry = await m.predictions(engineer.token, header, [...batch, record(20)]);
    expect(retry.body).toEqual({ accepted: 21, duplicates: 20 });
    expect(await countRows(model.id)).toEqual({ n: 21, d: 21 });
    expect(await rollup(model.id, 'records', 'n')).toBe(21);
  });

  it('keeps the first of two records sharing an id in one batch, and always stores records without an id', async () => {
    const model = await newModel();
    const header = { model: model.name, environment: 'production', version: 1 };
    const noId = (i: number) => ({ features: { age: i }, prediction: 'stay' });
    const response = await m.predictions(engineer.token, header, [record(1, { latencyMs: 7 }), noId(1), record(1, { latencyMs: 99 }), noId(2)]);
    expect(response.body).toEqual({ accepted: 4, duplicates: 1 });
    const { rows } = await rawQuery(`SELECT record_id, latency_ms FROM monitoring_predictions WHERE model_id = '${model.id}' AND record_id = 'r-1'`);
    expect(rows).toEqual([{ record_id: 'r-1', latency_ms: 7 }]);
    // Resent: the id is a duplicate; records without one cannot be recognised, so they are new.
    expect((await m.predictions(engineer.token, header, [record(1), noId(3)])).body).toEqual({ accepted: 2, duplicates: 1 });
    expect(await countRows(model.id)).toEqual({ n: 4, d: 4 });
    expect(await rollup(model.id, 'records', 'n')).toBe(4);
    await expectRollupsMatchRaw(model.id);
  });

  it('stores a batch once when it is sent twice at the same moment, and counts it once in the rollups', async () => {
    const model = await newModel();
    const header = { model: model.name, environment: 'production', version: 1 };
    await m.labels(engineer.token, { model: model.name }, [{ id: 'r-3', label: 'churn' }]);
    const batch = range(300).map((i) => record(i));
    const answers = await Promise.all([1, 2, 3].map(() => m.predictions(engineer.token, header, batch)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    // Exactly one of the racing calls stored the records; the others found them all stored.
    expect(answers.map((a) => a.body.duplicates).sort((a, b) => a - b)).toEqual([0, 300, 300]);
    expect(await countRows(model.id)).toEqual({ n: 300, d: 300 });
    expect(await rollup(model.id, 'records', 'n')).toBe(300);
    expect(await rollup(model.id, 'labels', 'n')).toBe(1);
    await expectRollupsMatchRaw(model.id);
  });

  it('takes record ids, labels and errors with any characters, and recognises them on retry', async () => {
    const model = await newModel();
    const header = { model: model.name, environment: 'production', version: 1 };
    const ids = ['we"ird, {x}\\y', 'NULL', ' spaced ', 'ünïcødé', '{}', 'a,b'];
    const batch = ids.map((id, i) => ({ ...record(i), id, prediction: { label: id, score: 0.5 }, error: `${id}!` }));
    expect((await m.predictions(engineer.token, header, batch)).body).toEqual({ accepted: ids.length, duplicates: 0 });
    expect((await m.predictions(engineer.token, header, batch)).body).toEqual({ accepted: ids.length, duplicates: ids.length });
    const { rows } = await rawQuery(`SELECT record_id, pred_label, error FROM monitoring_predictions WHERE model_id = '${model.id}'`);
    expect(rows.map((r) => [r.record_id, r.pred_label, r.error]).sort()).toEqual(ids.map((id) => [id, id, `${id}!`]).sort());
  });

  it('without a version, credits each record to the version live in the environment at its timestamp', async () => {
    const model = await newModel(2);
    const production = await db().environment.findUniqueOrThrow({ where: { name: 'production' } });
    const t0 = Date.now() - 10 * DAY;
    const t1 = Date.now() - 5 * DAY;
    const release = (versionId: string, liveAt: number, endedAt: number | null) =>
      db().release.create({
        data: {
          modelId: model.id,
          versionId,
          environmentId: production.id,
          status: endedAt ? 'superseded' : 'live',
          slot: endedAt ? null : 'primary',
          requestedById: engineer.user.id,
          liveAt: new Date(liveAt),
          endedAt: endedAt ? new Date(endedAt) : null,
        },
      });
    await release(model.versionIds[0]!, t0, t1);
    await release(model.versionIds[1]!, t1, null);
    const at = (t: number) => new Date(t).toISOString();
    const ok = await m.predictions(engineer.token, { model: model.name, environment: 'production' }, [
      record(1, { timestamp: at(t0 + DAY) }),
      record(2, { timestamp: at(t1 - 1) }),
      record(3, { timestamp: at(t1) }),
      record(4),
    ]);
    expect(ok.status, ok.text).toBe(202);
    const { rows } = await rawQuery(`SELECT record_id, version_id FROM monitoring_predictions WHERE model_id = '${model.id}' ORDER BY record_id`);
    expect(rows.map((r) => [r.record_id, r.version_id])).toEqual([
      ['r-1', model.versionIds[0]],
      ['r-2', model.versionIds[0]],
      ['r-3', model.versionIds[1]],
      ['r-4', model.versionIds[1]],
    ]);
    // Before anything was live: refused, with the record's index and a way out.
    const before = await m.predictions(engineer.token, { model: model.name, environment: 'production' }, [record(5), record(6, { timestamp: at(t0 - DAY) })]);
    expect(before.status).toBe(400);
    expect(Object.keys(before.body.errors)).toEqual(['records.1.timestamp']);
    expect(before.body.errors['records.1.timestamp'][0]).toMatch(/No version .* was live in production .* send "version"/);
    // Nothing live in staging at all, but an explicit version (canary, shadow, offline) is accepted.
    const explicit = await m.predictions(engineer.token, { model: model.name, environment: 'staging', version: 2 }, [record(7)]);
    expect(explicit.status, explicit.text).toBe(202);
  });

  it('stores categories exactly, whatever characters they hold', async () => {
    const model = await newModel();
    const odd = ['we"ird, {x}\\y', 'NULL', '', ' spaced ', 'ünïcødé'];
    const response = await m.predictions(
      engineer.token,
      { model: model.name, environment: 'production', version: 1 },
      odd.map((plan, i) => ({ id: `o-${i}`, features: { plan, age: null }, prediction: plan || 'empty' })),
    );
    expect(response.status, response.text).toBe(202);
    const { rows } = await rawQuery(`SELECT record_id, cat_values, num_values, pred_label FROM monitoring_predictions WHERE model_id = '${model.id}' ORDER BY record_id`);
    expect(rows.map((r) => r.cat_values[0])).toEqual(odd);
    expect(rows.every((r) => r.num_values[0] === null)).toBe(true);
    expect(await rollup(model.id, 'f:plan', 'cat:NULL')).toBe(1);
    expect(await rollup(model.id, 'f:age', 'null')).toBe(5);
  });

  it('backfills past timestamps into their day’s partition, created on demand', async () => {
    const model = await newModel();
    const old = new Date(Date.now() - 40 * DAY);
    const response = await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, [
      record(1, { timestamp: old.toISOString() }),
      record(2),
    ]);
    expect(response.status, response.text).toBe(202);
    const partitions = await listDayPartitions(model.id);
    const dayName = old.toISOString().slice(0, 10).replace(/-/g, '');
    expect(partitions.map((p) => p.name.slice(-8))).toContain(dayName);
    const { rows } = await rawQuery(`SELECT count(*)::int AS n FROM ${partitions.find((p) => p.name.endsWith(dayName))!.name}`);
    expect(rows[0].n).toBe(1);
    // Older than the model's retention (90 days): refused rather than stored to be dropped.
    const tooOld = await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, [
      record(3, { timestamp: new Date(Date.now() - 120 * DAY).toISOString() }),
    ]);
    expect(tooOld.status).toBe(400);
    expect(tooOld.body.errors['records.0.timestamp'][0]).toMatch(/retention of 90 days/);
  });

  it('rejects a batch with invalid records whole, naming each index and reason', async () => {
    const model = await newModel();
    const response = await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, [
      record(0),
      record(1, { features: { age: 'forty', plan: 'pro' } }),
      record(2),
      record(3, { features: { age: 30, shoe_size: 44, hair: 'red' } }),
      { id: 'x', features: {} },
    ]);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.code).toBe('invalid_records');
    expect(response.body.errors).toEqual({
      'records.1.features.age': ['v1 declares "age" numeric; got "forty".'],
      'records.3.features': ["Not in v1's feature schema: shoe_size, hair."],
      'records.4.prediction': ['This field is required.'],
    });
    expect(response.body.detail).toMatch(/^3 of 5 records are invalid; nothing was stored/);
    expect(await countRows(model.id)).toEqual({ n: 0, d: 0 });
    // An NDJSON line that is not JSON is an invalid record too.
    const ndjson = await m.rawPredictions(
      engineer.token,
      `${JSON.stringify({ model: model.name, environment: 'production', version: 1 })}\n${JSON.stringify(record(9))}\n{"id": oops}\n`,
      { 'content-type': 'application/x-ndjson' },
    );
    expect(ndjson.status).toBe(400);
    expect(ndjson.body.errors).toEqual({ 'records.1': ['This line is not valid JSON.'] });
  });

  it('refuses the NUL character PostgreSQL cannot store, naming each place, for predictions, labels and references', async () => {
    const model = await newModel();
    const nul = 'a\u0000b';
    const response = await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, [
      record(0, { id: nul }),
      record(1, { features: { age: 30, plan: nul } }),
      record(2, { prediction: { label: nul, score: 0.5 } }),
      record(3, { error: nul }),
      record(4),
    ]);
    expect(response.status, response.text).toBe(400);
    const message = ['cannot contain the NUL character (\\u0000).'];
    expect(response.body.errors).toEqual({
      'records.0.id': message,
      'records.1.features.plan': message,
      'records.2.prediction.label': message,
      'records.3.error': message,
    });
    expect(await countRows(model.id)).toEqual({ n: 0, d: 0 });
    const labels = await m.labels(engineer.token, { model: model.name }, [{ id: 'r-1', label: nul }, { id: nul, label: 'x' }]);
    expect(labels.status, labels.text).toBe(400);
    expect(Object.keys(labels.body.errors).sort()).toEqual(['records.0.label', 'records.1.id']);
    const reference = await m.reference(engineer.token, model.name, 1, { columns: { age: [1, 2], plan: ['pro', nul] } });
    expect(reference.status, reference.text).toBe(400);
  });

  it('404s an unknown model, environment or version; 403s a viewer; 401s without credentials', async () => {
    const model = await newModel();
    const batch = [record(1)];
    const nope = await m.predictions(engineer.token, { model: 'no-such-model', environment: 'production' }, batch);
    expect([nope.status, nope.body.detail]).toEqual([404, 'No model named "no-such-model".']);
    expect((await m.predictions(engineer.token, { model: model.name, environment: 'moon' }, batch)).status).toBe(404);
    const version = await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 9 }, batch);
    expect([version.status, version.body.detail]).toEqual([404, `${model.name} has no version 9.`]);
    expect((await m.predictions(viewer.token, { model: model.name, environment: 'production', version: 1 }, batch)).status).toBe(403);
    expect((await m.predictions(undefined, { model: model.name, environment: 'production', version: 1 }, batch)).status).toBe(401);
    const header = await m.predictions(engineer.token, { environment: 'production' }, batch);
    expect([header.status, header.body.errors]).toEqual([400, { model: ['This field is required.'] }]);
  });
});

describe('POST /api/v1/labels', () => {
  it('joins labels with predictions whichever arrives first, once', async () => {
    const model = await newModel();
    const header = { model: model.name, environment: 'production', version: 1 };
    // r-1's label comes before its prediction; r-2's after; r-3 is never predicted.
    const early = await m.labels(engineer.token, { model: model.name }, [{ id: 'r-1', label: 'churn' }, { id: 'r-3', label: 'stay' }]);
    expect(early.status, early.text).toBe(202);
    expect(await rollup(model.id, 'labels', 'n')).toBe(0);
    expect((await m.predictions(engineer.token, header, [record(1), record(2)])).status).toBe(202);
    expect(await rollup(model.id, 'labels', 'n')).toBe(1);
    const late = await m.labels(engineer.token, { model: model.name }, [{ id: 'r-2', label: 'churn' }], { ndjson: true });
    expect(late.body).toEqual({ accepted: 1, duplicates: 0 });
    // Retried: counted once; a second label for an id does not replace the first.
    expect((await m.labels(engineer.token, { model: model.name }, [{ id: 'r-2', label: 'stay' }])).body).toEqual({ accepted: 1, duplicates: 1 });
    expect(await rollup(model.id, 'labels', 'n')).toBe(2);
    // record(1) predicts "stay" (score 0.1), record(2) "churn" (0.2): one miss and one hit.
    expect(await rollup(model.id, 'labels', 'cm:stay|churn')).toBe(1);
    expect(await rollup(model.id, 'labels', 'cm:churn|churn')).toBe(1);
    expect(await rollup(model.id, 'labels', 'score:churn|2')).toBe(1);
    const bad = await m.labels(engineer.token, { model: model.name }, [{ id: 'r-4', label: 'x' }, { label: 1 }]);
    expect([bad.status, bad.body.errors]).toEqual([400, { 'records.1.id': ['This field is required.'] }]);
  });

  it('keeps Σ|e|, Σe², Σy, Σy² for a regressor', async () => {
    const model = await newModel(1, 'regression');
    const header = { model: model.name, environment: 'production', version: 1 };
    const preds = [
      { id: 'a', features: { age: 1 }, prediction: 10 },
      { id: 'b', features: { age: 2 }, prediction: 4 },
    ];
    expect((await m.predictions(engineer.token, header, preds)).status).toBe(202);
    expect((await m.labels(engineer.token, { model: model.name }, [{ id: 'a', label: 7 }, { id: 'b', label: 5 }])).status).toBe(202);
    expect(await rollup(model.id, 'labels', 'abs_err')).toBe(4);
    expect(await rollup(model.id, 'labels', 'sq_err')).toBe(10);
    expect(await rollup(model.id, 'labels', 'y')).toBe(12);
    expect(await rollup(model.id, 'labels', 'y2')).toBe(74);
  });
});

describe('POST /api/v1/models/{name}/versions/{version}/reference', () => {
  it('takes columns or rows, keeps exact profiles, and bins later records on the reference’s deciles', async () => {
    const model = await newModel(2);
    const ages = range(100).map((i) => 18 + (i % 60));
    const columns = await m.reference(engineer.token, model.name, 1, { columns: { age: ages, plan: ages.map((a) => (a > 40 ? 'pro' : 'free')) } });
    expect(columns.status, columns.text).toBe(201);
    expect(columns.body).toMatchObject({ model: model.name, version: 1, rows: 100 });
    expect(columns.body.columns).toEqual([
      { name: 'age', type: 'numeric', n: 100, nNull: 0, distinct: 60 },
      { name: 'plan', type: 'categorical', n: 100, nNull: 0, distinct: 2 },
    ]);
    const rows = await m.reference(engineer.token, model.name, 2, { rows: [{ age: 30, plan: 'pro' }, { age: null, plan: 'free' }, { age: 50 }] });
    expect(rows.status, rows.text).toBe(201);
    expect(rows.body.columns).toEqual([
      { name: 'age', type: 'numeric', n: 2, nNull: 1, distinct: 2 },
      { name: 'plan', type: 'categorical', n: 2, nNull: 1, distinct: 2 },
    ]);
    const stored = await db().monitoringReference.findFirstOrThrow({ where: { versionId: model.versionIds[0]! } });
    expect(stored.rows).toBe(100);
    expect(await db().auditEntry.count({ where: { action: 'monitoring.reference.upload', targetId: model.versionIds[0]! } })).toBe(1);

    expect((await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, range(40).map((i) => record(i)))).status).toBe(202);
    let bins = 0;
    for (let b = 0; b <= 9; b++) bins += await rollup(model.id, 'f:age', `bin:${b}`);
    expect(bins).toBe(40);

    const unknown = await m.reference(engineer.token, model.name, 1, { columns: { age: [1], height: [2] } });
    expect([unknown.status, unknown.body.errors]).toEqual([400, { columns: ["Not in v1's feature schema: height."] }]);
    const wrongType = await m.reference(engineer.token, model.name, 1, { rows: [{ age: 3 }, { age: 'old' }] });
    expect([wrongType.status, wrongType.body.errors]).toEqual([400, { 'columns.age': ['"age" is numeric; row 1 holds "old".'] }]);
    expect((await m.reference(viewer.token, model.name, 1, { columns: { age: [1] } })).status).toBe(403);
    expect((await m.reference(engineer.token, model.name, 7, { columns: { age: [1] } })).status).toBe(404);
  });

  it('rebuilds a version’s rollups on the new reference’s bins', async () => {
    const model = await newModel();
    expect((await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, range(30).map((i) => record(i)))).status).toBe(202);
    expect(await rollup(model.id, 'f:age', 'bin:0')).toBe(0);
    expect((await m.reference(engineer.token, model.name, 1, { columns: { age: range(100).map((i) => i) } })).status).toBe(201);
    // What the job queued by the upload runs.
    await rebuildRollups(model.id, model.versionIds[0]!);
    let bins = 0;
    for (let b = 0; b <= 9; b++) bins += await rollup(model.id, 'f:age', `bin:${b}`);
    expect(bins).toBe(30);
    await expectRollupsMatchRaw(model.id);
  });
});

describe('sensitive features', () => {
  it('stores a sensitive category as a salted hash, and drift still compares it with the reference', async () => {
    const model = await newModel();
    const emails = range(40).map((i) => `user${i % 5}@example.com`);
    expect((await m.reference(engineer.token, model.name, 1, { columns: { email: emails } })).status).toBe(201);
    expect((await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, range(40).map((i) => record(i)))).status).toBe(202);
    const { rows } = await rawQuery(`SELECT cat_values FROM monitoring_predictions WHERE model_id = '${model.id}'`);
    const stored = rows.map((r) => r.cat_values[1] as string);
    expect(stored.some((v) => v.includes('@'))).toBe(false);
    expect(new Set(stored).size).toBe(5);
    const { rows: rollupRows } = await rawQuery(
      `SELECT c.cell, c.value FROM monitoring_rollups, jsonb_each_text(cells) AS c(cell, value) WHERE model_id = '${model.id}' AND series = 'f:email' AND c.cell LIKE 'cat:%'`,
    );
    expect(rollupRows.some((r) => String(r.cell).includes('@'))).toBe(false);
    const reference = await db().monitoringReference.findFirstOrThrow({ where: { versionId: model.versionIds[0]! } });
    const profile = (reference.profiles as Record<string, { counts: Record<string, number>; nNull: number }>).email!;
    expect(Object.keys(profile.counts).some((k) => k.includes('@'))).toBe(false);
    const ref: CategoryCounts = { counts: new Map(Object.entries(profile.counts)), nNull: 0 };
    const current: CategoryCounts = { counts: new Map(rollupRows.map((r) => [String(r.cell).slice(4), Number(r.value)])), nNull: 0 };
    const drift = categoricalDriftFromCounts('email', ref, current);
    expect(drift.chiSquare?.statistic).toBeCloseTo(0, 12);
    expect(drift.drifted).toBe(false);
  });
});

describe('retention and rollups', () => {
  it('drops whole daily partitions past the model’s retention, with their rollups and ids', async () => {
    const model = await newModel();
    await db().model.update({ where: { id: model.id }, data: { monitoringRetentionDays: 7 } });
    const header = { model: model.name, environment: 'production', version: 1 };
    const sixDaysAgo = new Date(Date.now() - 6 * DAY);
    expect((await m.predictions(engineer.token, header, [record(1, { timestamp: sixDaysAgo.toISOString() }), record(2)])).status).toBe(202);
    const before = await listDayPartitions(model.id);
    // Three days on, six-days-ago is nine days old: past 7 days of retention.
    const result = await applyRetention({ id: model.id, name: model.name, monitoringRetentionDays: 7 }, Date.now() + 3 * DAY);
    const oldName = before.find((p) => p.name.endsWith(sixDaysAgo.toISOString().slice(0, 10).replace(/-/g, '')))!.name;
    expect(result.droppedPartitions).toEqual([oldName]);
    expect(result.deletedIds).toBe(1);
    expect((await rawQuery(`SELECT to_regclass('${oldName}') AS t`)).rows[0].t).toBeNull();
    expect(await countRows(model.id)).toEqual({ n: 1, d: 1 });
    expect(await rollup(model.id, 'records', 'n')).toBe(1);
    await expectRollupsMatchRaw(model.id);
  });

  it('are prepared ahead by the maintenance job: today’s and the next two days’ partitions', async () => {
    const model = await newModel();
    expect((await m.predictions(engineer.token, { model: model.name, environment: 'production', version: 1 }, [record(1)])).status).toBe(202);
    await maintainMonitoring();
    const days = (await listDayPartitions(model.id)).map((p) => p.day);
    const today = Math.floor(Date.now() / DAY) * DAY;
    expect(days).toEqual(expect.arrayContaining([today, today + DAY, today + 2 * DAY]));
  });

  it('equal a recomputation from the raw rows after mixed batches, labels, retries and versions', async () => {
    const model = await newModel(2);
    expect((await m.reference(engineer.token, model.name, 1, { columns: { age: range(30).map((i) => 20 + i), plan: ['pro', 'free', 'team'] .flatMap((p) => Array(10).fill(p)) } })).status).toBe(201);
    const h1 = { model: model.name, environment: 'production', version: 1 };
    const h2 = { model: model.name, environment: 'staging', version: 2 };
    await m.labels(engineer.token, { model: model.name }, range(30).map((i) => ({ id: `r-${i * 3}`, label: i % 2 ? 'churn' : 'stay' })));
    await m.predictions(engineer.token, h1, range(60).map((i) => record(i, { timestamp: new Date(Date.now() - (i % 4) * 3_600_000).toISOString() })));
    await m.predictions(engineer.token, h2, range(40, 60).map((i) => record(i, { features: { age: null, plan: 'pro' }, latencyMs: undefined, error: 'timeout' })), { ndjson: true, gzip: true });
    await m.predictions(engineer.token, h1, range(30).map((i) => record(i)));
    await m.labels(engineer.token, { model: model.name }, range(60).map((i) => ({ id: `r-${100 + i}`, label: true })));
    await m.predictions(engineer.token, h1, range(20, 100).map((i) => ({ ...record(i), id: `r-${100 + i}`, prediction: (i % 10) / 10 })));
    await expectRollupsMatchRaw(model.id);
  });
});
