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
 * One series' cells in one (environment, version, hour). A feature's value touches up to four
 * cells, so they are plain fields rather than map entries keyed by strings: this runs once per
 * feature per record, and string keys made it the costliest step of ingestion in Node.
 */
class SeriesCells {
  n = 0;
  nulls = 0;
  /** Whether `sum`/`sumsq` were touched (a numeric series), so a sum of zero is still written. */
  numeric = false;
  sum = 0;
  sumsq = 0;
  /** Counts per reference bin (sparse: only bins that were hit). */
  bins: number[] | null = null;
  /** Counts per category value (the cell is "cat:" + value). */
  cats: Map<string, number> | null = null;
  /** Any other cell ("records" and "labels" series). */
  other: Map<string, number> | null = null;

  add(cell: string, value: number) {
    const other = (this.other ??= new Map());
    other.set(cell, (other.get(cell) ?? 0) + value);
  }

  /** Every touched cell, as the rollup tables name it. */
  *entries(): Generator<[string, number]> {
    if (this.n > 0) yield ['n', this.n];
    if (this.nulls > 0) yield ['null', this.nulls];
    if (this.numeric) {
      yield ['sum', this.sum];
      yield ['sumsq', this.sumsq];
    }
    if (this.bins) for (let i = 0; i < this.bins.length; i++) if (this.bins[i] !== undefined) yield [`bin:${i}`, this.bins[i]!];
    if (this.cats) for (const [value, count] of this.cats) yield [`cat:${value}`, count];
    if (this.other) yield* this.other;
  }
}

/** (environment, version, hour) → series → cells. */
type PrefixCells = Map<string, SeriesCells>;

const PREDICTION_LABEL_SERIES = `${PREDICTION_COLUMN}_label`;
const LATENCY_CELLS = new Map<number, string>();
function latencyCell(ms: number): string {
  const bucket = latencyBucket(ms);
  let cell = LATENCY_CELLS.get(bucket);
  if (cell === undefined) LATENCY_CELLS.set(bucket, (cell = `lat:${bucket}`));
  return cell;
}

/**
 * Rollup deltas of one batch, summed in memory: one entry per
 * (environment, version, hour, series, cell). Every cell is a plain sum, so deltas of any
 * batches, applied in any order, add up to the counts of all their records.
 */
export class RollupDeltas {
  private readonly byPrefix = new Map<string, PrefixCells>();
  private readonly seriesNames = new Map<string, string>();
  /** The prefix of the previous record: consecutive records of a batch nearly always share it. */
  private last: { environmentId: string; versionId: string; hour: number; cells: PrefixCells } | null = null;

  private prefix(r: { environmentId: string; versionId: string; ts: Date }): PrefixCells {
    const hour = Math.floor(r.ts.getTime() / HOUR) * HOUR;
    const last = this.last;
    if (last && last.hour === hour && last.environmentId === r.environmentId && last.versionId === r.versionId) return last.cells;
    const key = `${r.environmentId}\u0000${r.versionId}\u0000${hour}`;
    let cells = this.byPrefix.get(key);
    if (!cells) this.byPrefix.set(key, (cells = new Map()));
    this.last = { environmentId: r.environmentId, versionId: r.versionId, hour, cells };
    return cells;
  }

  private series(p: PrefixCells, name: string): SeriesCells {
    let series = p.get(name);
    if (!series) p.set(name, (series = new SeriesCells()));
    return series;
  }

  private featureSeries(name: string): string {
    let series = this.seriesNames.get(name);
    if (series === undefined) this.seriesNames.set(name, (series = `f:${name}`));
    return series;
  }

  /** Every cell as "environment\u0000version\u0000hour ms\u0000series\u0000cell" → value. */
  get cells(): Map<string, number> {
    const flat = new Map<string, number>();
    for (const [prefix, byName] of this.byPrefix) {
      for (const [name, series] of byName) for (const [cell, value] of series.entries()) flat.set(`${prefix}\u0000${name}\u0000${cell}`, value);
    }
    return flat;
  }

  addRecord(record: StoredRecord, shape: VersionShape): void {
    const p = this.prefix(record);
    const records = this.series(p, 'records');
    records.add('n', 1);
    if (record.error !== null) records.add('error', 1);
    if (record.latencyMs !== null) {
      records.add(latencyCell(record.latencyMs), 1);
      records.add('lat_sum', record.latencyMs);
    }
    for (const slot of shape.numeric) {
      this.addNumeric(this.series(p, this.featureSeries(slot.name)), record.num[slot.index] ?? null, shape.profiles?.[slot.name]);
    }
    for (const slot of shape.categorical) {
      this.addCategory(this.series(p, this.featureSeries(slot.name)), record.cat[slot.index] ?? null);
    }
    const predictionProfile = shape.profiles?.[PREDICTION_COLUMN];
    const numericPrediction = record.predNum ?? record.score;
    if (numericPrediction !== null) this.addNumeric(this.series(p, PREDICTION_COLUMN), numericPrediction, predictionProfile);
    if (record.predLabel !== null) this.addCategory(this.series(p, PREDICTION_LABEL_SERIES), record.predLabel);
  }

  private addNumeric(s: SeriesCells, x: number | null, profile: ColumnProfile | undefined) {
    if (x === null) {
      s.nulls++;
      return;
    }
    s.n++;
    s.numeric = true;
    s.sum += x;
    s.sumsq += x * x;
    if (profile?.type === 'numeric') {
      const bins = (s.bins ??= []);
      const i = binIndex(profile.profile.edges, x);
      bins[i] = (bins[i] ?? 0) + 1;
    }
  }

  private addCategory(s: SeriesCells, value: string | null) {
    if (value === null) {
      s.nulls++;
      return;
    }
    s.n++;
    const cats = (s.cats ??= new Map());
    cats.set(value, (cats.get(value) ?? 0) + 1);
  }

  /**
   * A prediction joined with its label, counted in the prediction's hour: confusion counts
   * (a score counts as class "1" at ≥ 0.5), score histograms per actual label, and for
   * regression Σ|e|, Σe², Σe, Σy, Σy² with e = prediction − label.
   */
  addLabel(prediction: JoinedPrediction, label: StoredLabel, task: ModelTask): void {
    const labels = this.series(this.prefix(prediction), 'labels');
    labels.add('n', 1);
    const regression =
      task === 'regression' || (task === 'other' && prediction.predNum !== null && prediction.predLabel === null && label.labelNum !== null);
    if (regression) {
      if (prediction.predNum === null || label.labelNum === null) {
        labels.add('unscored', 1);
        return;
      }
      const e = prediction.predNum - label.labelNum;
      labels.add('reg_n', 1);
      labels.add('abs_err', Math.abs(e));
      labels.add('sq_err', e * e);
      labels.add('err', e);
      labels.add('y', label.labelNum);
      labels.add('y2', label.labelNum * label.labelNum);
      return;
    }
    const score = prediction.score ?? (prediction.predLabel === null ? prediction.predNum : null);
    const predicted = prediction.predLabel ?? (score !== null ? (score >= CLASSIFICATION_THRESHOLD ? '1' : '0') : null);
    if (predicted === null) {
      labels.add('unscored', 1);
      return;
    }
    labels.add(`cm:${predicted}|${label.labelText}`, 1);
    if (score !== null && score >= 0 && score <= 1) {
      labels.add(`score:${label.labelText}|${Math.min(SCORE_BINS - 1, Math.floor(score * SCORE_BINS))}`, 1);
    }
  }

  get size(): number {
    return this.cells.size;
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
