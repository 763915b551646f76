import 'server-only';
import type pg from 'pg';
import { binIndex } from '@/lib/stats/bins';
import { latencyBucket } from './latency-buckets';
import type { VersionShape } from './load-target';
import { PREDICTION_COLUMN, type ColumnProfile } from './reference-profile';

/** A record as stored (and as read back from the raw tables when rollups are rebuilt). */
export interface StoredRecord {
  recordId: string;
  ts: Date;
  environmentId: string;
  versionId: string;
  num: (number | null)[];
  cat: (string | null)[];
  predNum: number | null;
  predLabel: string | null;
  score: number | null;
  latencyMs: number | null;
  error: string | null;
}

export interface StoredLabel {
  labelNum: number | null;
  labelText: string;
}

/** The prediction side of a label join (what monitoring_record_ids keeps). */
export type JoinedPrediction = Pick<StoredRecord, 'ts' | 'environmentId' | 'versionId' | 'predNum' | 'predLabel' | 'score'>;

export type ModelTask = 'classification' | 'regression' | 'other';

/** Scores are histogrammed per actual label in 20 bins of 0.05 (enough for ROC/AUC curves). */
export const SCORE_BINS = 20;
export const CLASSIFICATION_THRESHOLD = 0.5;

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Rollup deltas of one batch, summed in memory: one entry per
 * (environment, version, hour, series, cell). Every cell is a plain sum, so deltas of any
 * batches, applied in any order, add up to the counts of all their records.
 */
export class RollupDeltas {
  /** prefix (environment, version, hour) → "series\u0000cell" → value: short keys on the hot path. */
  private readonly byPrefix = new Map<string, Map<string, number>>();
  private readonly seriesNames = new Map<string, string>();

  private add(cells: Map<string, number>, series: string, cell: string, value: number) {
    const key = `${series}\u0000${cell}`;
    cells.set(key, (cells.get(key) ?? 0) + value);
  }

  private prefix(r: { environmentId: string; versionId: string; ts: Date }): Map<string, number> {
    const key = `${r.environmentId}\u0000${r.versionId}\u0000${Math.floor(r.ts.getTime() / HOUR) * HOUR}`;
    let cells = this.byPrefix.get(key);
    if (!cells) this.byPrefix.set(key, (cells = new Map()));
    return cells;
  }

  private featureSeries(name: string): string {
    let series = this.seriesNames.get(name);
    if (series === undefined) this.seriesNames.set(name, (series = `f:${name}`));
    return series;
  }

  /** Every cell as "environment\u0000version\u0000hour ms\u0000series\u0000cell" → value. */
  get cells(): Map<string, number> {
    const flat = new Map<string, number>();
    for (const [prefix, cells] of this.byPrefix) for (const [key, value] of cells) flat.set(`${prefix}\u0000${key}`, value);
    return flat;
  }

  addRecord(record: StoredRecord, shape: VersionShape): void {
    const p = this.prefix(record);
    this.add(p, 'records', 'n', 1);
    if (record.error !== null) this.add(p, 'records', 'error', 1);
    if (record.latencyMs !== null) {
      this.add(p, 'records', `lat:${latencyBucket(record.latencyMs)}`, 1);
      this.add(p, 'records', 'lat_sum', record.latencyMs);
    }
    for (const slot of shape.numeric) {
      this.addNumeric(p, this.featureSeries(slot.name), record.num[slot.index] ?? null, shape.profiles?.[slot.name]);
    }
    for (const slot of shape.categorical) {
      this.addCategory(p, this.featureSeries(slot.name), record.cat[slot.index] ?? null);
    }
    const predictionProfile = shape.profiles?.[PREDICTION_COLUMN];
    const numericPrediction = record.predNum ?? record.score;
    if (numericPrediction !== null) this.addNumeric(p, PREDICTION_COLUMN, numericPrediction, predictionProfile);
    if (record.predLabel !== null) this.addCategory(p, `${PREDICTION_COLUMN}_label`, record.predLabel);
  }

  private addNumeric(p: Map<string, number>, series: string, x: number | null, profile: ColumnProfile | undefined) {
    if (x === null) {
      this.add(p, series, 'null', 1);
      return;
    }
    this.add(p, series, 'n', 1);
    this.add(p, series, 'sum', x);
    this.add(p, series, 'sumsq', x * x);
    if (profile?.type === 'numeric') this.add(p, series, `bin:${binIndex(profile.profile.edges, x)}`, 1);
  }

  private addCategory(p: Map<string, number>, series: string, value: string | null) {
    if (value === null) {
      this.add(p, series, 'null', 1);
      return;
    }
    this.add(p, series, 'n', 1);
    this.add(p, series, `cat:${value}`, 1);
  }

  /**
   * A prediction joined with its label, counted in the prediction's hour: confusion counts
   * (a score counts as class "1" at ≥ 0.5), score histograms per actual label, and for
   * regression Σ|e|, Σe², Σe, Σy, Σy² with e = prediction − label.
   */
  addLabel(prediction: JoinedPrediction, label: StoredLabel, task: ModelTask): void {
    const p = this.prefix(prediction);
    this.add(p, 'labels', 'n', 1);
    const regression =
      task === 'regression' || (task === 'other' && prediction.predNum !== null && prediction.predLabel === null && label.labelNum !== null);
    if (regression) {
      if (prediction.predNum === null || label.labelNum === null) {
        this.add(p, 'labels', 'unscored', 1);
        return;
      }
      const e = prediction.predNum - label.labelNum;
      this.add(p, 'labels', 'reg_n', 1);
      this.add(p, 'labels', 'abs_err', Math.abs(e));
      this.add(p, 'labels', 'sq_err', e * e);
      this.add(p, 'labels', 'err', e);
      this.add(p, 'labels', 'y', label.labelNum);
      this.add(p, 'labels', 'y2', label.labelNum * label.labelNum);
      return;
    }
    const score = prediction.score ?? (prediction.predLabel === null ? prediction.predNum : null);
    const predicted = prediction.predLabel ?? (score !== null ? (score >= CLASSIFICATION_THRESHOLD ? '1' : '0') : null);
    if (predicted === null) {
      this.add(p, 'labels', 'unscored', 1);
      return;
    }
    this.add(p, 'labels', `cm:${predicted}|${label.labelText}`, 1);
    if (score !== null && score >= 0 && score <= 1) {
      this.add(p, 'labels', `score:${label.labelText}|${Math.min(SCORE_BINS - 1, Math.floor(score * SCORE_BINS))}`, 1);
    }
  }

  get size(): number {
    let size = 0;
    for (const cells of this.byPrefix.values()) size += cells.size;
    return size;
  }

  /**
   * Adds the deltas to the hourly rollups, then the same deltas summed per UTC day to the daily
   * rollups, in the caller's transaction: a day row always equals the sum of its hour rows. Keys
   * go in sorted order (hourly table first), so two batches touching the same cells lock them in
   * the same order and cannot deadlock.
   */
  async apply(client: pg.ClientBase, modelId: string): Promise<void> {
    const hourly = this.cells;
    if (hourly.size === 0) return;
    await upsertCells(client, 'monitoring_rollups', modelId, hourly);
    await upsertCells(client, 'monitoring_rollups_daily', modelId, sumPerDay(hourly));
  }
}

/** Hourly cells (keyed like `RollupDeltas.cells`) summed per UTC day: what the daily rollups hold. */
export function sumPerDay(hourly: Map<string, number>): Map<string, number> {
  const daily = new Map<string, number>();
  for (const [key, value] of hourly) {
    const [e, v, b, rest] = splitPrefix(key);
    const dayKey = `${e}\u0000${v}\u0000${Math.floor(Number(b) / DAY) * DAY}\u0000${rest}`;
    daily.set(dayKey, (daily.get(dayKey) ?? 0) + value);
  }
  return daily;
}

/** "environment\u0000version\u0000bucket\u0000series\u0000cell" → [environment, version, bucket, "series\u0000cell"]. */
function splitPrefix(key: string): [string, string, string, string] {
  const a = key.indexOf('\u0000');
  const b = key.indexOf('\u0000', a + 1);
  const c = key.indexOf('\u0000', b + 1);
  return [key.slice(0, a), key.slice(a + 1, b), key.slice(b + 1, c), key.slice(c + 1)];
}

/**
 * Adds cells to a rollup table: one row per (environment, version, bucket, series) holding that
 * series' cells as a JSON object, merged into the stored one cell by cell (monitoring_cells_add).
 * Keys arrive sorted, so the rows go in sorted order too.
 */
async function upsertCells(client: pg.ClientBase, table: 'monitoring_rollups' | 'monitoring_rollups_daily', modelId: string, all: Map<string, number>) {
  const env: string[] = [];
  const version: string[] = [];
  const bucket: Date[] = [];
  const series: string[] = [];
  const cells: string[] = [];
  let row: Record<string, number> | null = null;
  let rowKey = '';
  for (const key of [...all.keys()].sort()) {
    const [e, v, b, s, c] = key.split('\u0000') as [string, string, string, string, string];
    const seriesKey = `${e}\u0000${v}\u0000${b}\u0000${s}`;
    if (seriesKey !== rowKey) {
      if (row) cells.push(JSON.stringify(row));
      env.push(e);
      version.push(v);
      bucket.push(new Date(Number(b)));
      series.push(s);
      row = {};
      rowKey = seriesKey;
    }
    row![c] = all.get(key)!;
  }
  if (row) cells.push(JSON.stringify(row));
  await client.query(
    `INSERT INTO ${table} AS r (model_id, environment_id, version_id, bucket, series, cells)
     SELECT $1::uuid, t.e, t.v, t.b, t.s, t.c
     FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::text[], $6::jsonb[]) AS t(e, v, b, s, c)
     ON CONFLICT (model_id, environment_id, version_id, bucket, series) DO UPDATE SET cells = monitoring_cells_add(r.cells, excluded.cells)`,
    [modelId, env, version, bucket, series, cells],
  );
}
