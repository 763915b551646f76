import 'server-only';
import { monitoringPool } from './pool';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Summed cells of one series: cell name → value. */
export type SeriesCells = Map<string, number>;
/** Series name → its cells, for one (version, bucket). */
export type BucketCells = Map<string, SeriesCells>;

export interface RollupQuery {
  modelId: string;
  environmentId: string;
  /** Only this version; all versions with data when omitted. */
  versionId?: string;
  /** Hour buckets starting at or after `from` (rounded down to the hour) and before `to`. */
  from: Date;
  to: Date;
  /** Bucket width of the answer: hourly rows are summed into it (UTC days for DAY_MS). */
  bucketMs: number;
  /** Only these series (e.g. ["records"], ["labels"], ["f:age", "prediction"]); all when omitted. */
  series?: string[];
}

/** The rollups of a window: version id → bucket start (ms) → series → cells. */
export type RollupWindow = Map<string, Map<number, BucketCells>>;

export function bucketStart(ms: number, bucketMs: number): number {
  return Math.floor(ms / bucketMs) * bucketMs;
}

/**
 * Reads and sums the hourly rollups of a window. Every cell is additive, so summing hours into
 * days (or a whole alert window into one bucket) gives the counts of all their records. Windows
 * are hour-aligned: the hour holding `from` counts whole.
 */
export async function readRollups(query: RollupQuery): Promise<RollupWindow> {
  const from = new Date(bucketStart(query.from.getTime(), HOUR_MS));
  const params: unknown[] = [query.modelId, query.environmentId, from, query.to];
  let filter = '';
  if (query.versionId) {
    params.push(query.versionId);
    filter += ` AND version_id = $${params.length}`;
  }
  if (query.series) {
    params.push(query.series);
    filter += ` AND series = ANY($${params.length}::text[])`;
  }
  // Buckets wider than an hour are summed in the database: a 90-day daily chart moves 90 rows
  // per cell to the app instead of 2,160.
  let sql = `SELECT version_id, bucket, series, cell, value FROM monitoring_rollups
     WHERE model_id = $1 AND environment_id = $2 AND bucket >= $3 AND bucket < $4${filter}`;
  if (query.bucketMs > HOUR_MS) {
    params.push(query.bucketMs / 1000);
    sql = `SELECT version_id, date_bin(make_interval(secs => $${params.length}), bucket, timestamptz 'epoch') AS bucket, series, cell, sum(value)::float8 AS value
     FROM monitoring_rollups
     WHERE model_id = $1 AND environment_id = $2 AND bucket >= $3 AND bucket < $4${filter}
     GROUP BY 1, 2, 3, 4`;
  }
  const { rows } = await monitoringPool().query<{ version_id: string; bucket: Date; series: string; cell: string; value: number }>(sql, params);
  const window: RollupWindow = new Map();
  for (const row of rows) {
    let buckets = window.get(row.version_id);
    if (!buckets) window.set(row.version_id, (buckets = new Map()));
    const start = bucketStart(row.bucket.getTime(), query.bucketMs);
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = new Map()));
    let cells = bucket.get(row.series);
    if (!cells) bucket.set(row.series, (cells = new Map()));
    cells.set(row.cell, (cells.get(row.cell) ?? 0) + row.value);
  }
  return window;
}

/** The cells of several (version, bucket) entries added up: a whole window, or all versions. */
export function mergeBuckets(parts: Iterable<BucketCells>): BucketCells {
  const merged: BucketCells = new Map();
  for (const part of parts) {
    for (const [series, cells] of part) {
      let target = merged.get(series);
      if (!target) merged.set(series, (target = new Map()));
      for (const [cell, value] of cells) target.set(cell, (target.get(cell) ?? 0) + value);
    }
  }
  return merged;
}

/** Every bucket of a window from the reader, all versions merged. */
export function mergeWindow(window: RollupWindow): BucketCells {
  return mergeBuckets([...window.values()].flatMap((buckets) => [...buckets.values()]));
}

/** The bucket starts of [from, to): the axis on which empty buckets show as gaps. */
export function bucketAxis(from: Date, to: Date, bucketMs: number): number[] {
  const axis: number[] = [];
  for (let t = bucketStart(from.getTime(), bucketMs); t < to.getTime(); t += bucketMs) axis.push(t);
  return axis;
}

/** Cells summed over a whole window per (model, environment, version, series): the overview's drift and totals. */
export interface RollupTotalsRow {
  model_id: string;
  environment_id: string;
  version_id: string;
  series: string;
  cell: string;
  value: number;
}

/**
 * Every model's rollups over [from, to), summed in the database per version and series —
 * one row per cell, whatever the window's length. Latency and score sketches are left out
 * (the overview reads counts, errors, confusion and regression sums, and drift cells).
 */
export async function readRollupTotals(modelIds: string[], from: Date, to: Date): Promise<RollupTotalsRow[]> {
  // Per model (the (model_id, bucket) index), not a scan of every model's rollups.
  const { rows } = await monitoringPool().query<RollupTotalsRow>(
    `SELECT model_id, environment_id, version_id, series, cell, sum(value)::float8 AS value FROM monitoring_rollups
     WHERE model_id = ANY($3::uuid[]) AND bucket >= $1 AND bucket < $2 AND cell NOT LIKE 'lat:%' AND cell NOT LIKE 'score:%'
     GROUP BY model_id, environment_id, version_id, series, cell`,
    [new Date(bucketStart(from.getTime(), HOUR_MS)), to, modelIds],
  );
  return rows;
}

/** Prediction and label counts per (model, environment) and bucket: the overview's sparklines. */
export interface RollupTrendRow {
  model_id: string;
  environment_id: string;
  bucket: Date;
  series: string;
  cell: string;
  value: number;
}

export async function readRollupTrends(modelIds: string[], from: Date, to: Date, bucketMs: number): Promise<RollupTrendRow[]> {
  const { rows } = await monitoringPool().query<RollupTrendRow>(
    `SELECT model_id, environment_id, date_bin(make_interval(secs => $3), bucket, timestamptz 'epoch') AS bucket, series, cell, sum(value)::float8 AS value
     FROM monitoring_rollups
     WHERE model_id = ANY($4::uuid[]) AND bucket >= $1 AND bucket < $2
       AND ((series = 'records' AND cell IN ('n', 'error')) OR (series = 'labels' AND cell NOT LIKE 'score:%'))
     GROUP BY 1, 2, 3, 4, 5`,
    [new Date(bucketStart(from.getTime(), HOUR_MS)), to, bucketMs / 1000, modelIds],
  );
  return rows;
}
