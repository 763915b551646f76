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

/** A rollup row's cells as (cell, value) rows, for queries that sum cells in the database. */
const EXPAND = 'CROSS JOIN LATERAL jsonb_each_text(cells) AS c(cell, value)';

/** The window's first hour, and its whole UTC days [dayFrom, dayTo) (empty when dayFrom ≥ dayTo). */
function windowParts(from: Date, to: Date) {
  const hourFrom = bucketStart(from.getTime(), HOUR_MS);
  return { hourFrom, dayFrom: Math.ceil(hourFrom / DAY_MS) * DAY_MS, dayTo: bucketStart(to.getTime(), DAY_MS) };
}

/**
 * The rollup rows of [from, to) as one FROM item: whole UTC days inside the window from the
 * daily rollups, the hours before the first and after the last whole day from the hourly ones.
 * Both tables hold the same additive cells, so the union sums to exactly what the hours alone
 * would, while a 90-day window reads ~90 rows per cell instead of ~2,160. `filter` (SQL on the
 * shared columns) applies to every part. Only callers whose buckets are whole days (or that sum
 * the whole window) may take day rows: `days` false reads hours only.
 */
export function rollupSource(params: unknown[], from: Date, to: Date, filter: string, days: boolean): string {
  const { hourFrom, dayFrom, dayTo } = windowParts(from, to);
  const p = (value: unknown) => `$${params.push(value)}`;
  const columns = 'model_id, environment_id, version_id, bucket, series, c.cell, c.value::float8 AS value';
  if (!days || dayFrom >= dayTo) {
    return `(SELECT ${columns} FROM monitoring_rollups ${EXPAND} WHERE bucket >= ${p(new Date(hourFrom))} AND bucket < ${p(to)}${filter}) AS r`;
  }
  const parts: string[] = [];
  if (hourFrom < dayFrom) parts.push(`SELECT ${columns} FROM monitoring_rollups ${EXPAND} WHERE bucket >= ${p(new Date(hourFrom))} AND bucket < ${p(new Date(dayFrom))}${filter}`);
  parts.push(`SELECT ${columns} FROM monitoring_rollups_daily ${EXPAND} WHERE bucket >= ${p(new Date(dayFrom))} AND bucket < ${p(new Date(dayTo))}${filter}`);
  if (dayTo < to.getTime()) parts.push(`SELECT ${columns} FROM monitoring_rollups ${EXPAND} WHERE bucket >= ${p(new Date(dayTo))} AND bucket < ${p(to)}${filter}`);
  return `(${parts.join(' UNION ALL ')}) AS r`;
}

/**
 * Reads and sums the rollups of a window. Every cell is additive, so summing hours into days
 * (or a whole alert window into one bucket) gives the counts of all their records. Windows are
 * hour-aligned: the hour holding `from` counts whole. Buckets of whole days read the daily
 * rollups for the window's whole days and hours only at the edges (`windowParts`); hourly and
 * other widths read hours. Rows (one per series, its cells as one JSON object) are summed into
 * buckets here: a 90-day window is at most ~140 rows per series. Bucket starts arrive as epoch
 * milliseconds: parsing a timestamptz per row cost more than the rest of the row.
 */
export async function readRollups(query: RollupQuery): Promise<RollupWindow> {
  const params: unknown[] = [query.modelId, query.environmentId];
  let filter = ' AND model_id = $1 AND environment_id = $2';
  if (query.versionId) {
    params.push(query.versionId);
    filter += ` AND version_id = $${params.length}`;
  }
  if (query.series) {
    params.push(query.series);
    filter += ` AND series = ANY($${params.length}::text[])`;
  }
  const p = (value: unknown) => `$${params.push(value)}`;
  const part = (table: string, from: number, to: number) =>
    `SELECT version_id, (extract(epoch FROM bucket) * 1000)::float8 AS t, series, cells FROM ${table} WHERE bucket >= ${p(new Date(from))} AND bucket < ${p(new Date(to))}${filter}`;
  const { hourFrom, dayFrom, dayTo } = windowParts(query.from, query.to);
  const to = query.to.getTime();
  const parts: string[] = [];
  if (query.bucketMs % DAY_MS !== 0 || dayFrom >= dayTo) {
    parts.push(part('monitoring_rollups', hourFrom, to));
  } else {
    if (hourFrom < dayFrom) parts.push(part('monitoring_rollups', hourFrom, dayFrom));
    parts.push(part('monitoring_rollups_daily', dayFrom, dayTo));
    if (dayTo < to) parts.push(part('monitoring_rollups', dayTo, to));
  }
  const { rows } = await monitoringPool().query<[string, number, string, Record<string, number>]>({ text: parts.join(' UNION ALL '), values: params, rowMode: 'array' });
  const window: RollupWindow = new Map();
  for (const [versionId, t, series, rowCells] of rows) {
    let buckets = window.get(versionId);
    if (!buckets) window.set(versionId, (buckets = new Map()));
    const start = bucketStart(t, query.bucketMs);
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = new Map()));
    const cells = bucket.get(series);
    if (!cells) bucket.set(series, new Map(Object.entries(rowCells)));
    else for (const cell in rowCells) cells.set(cell, (cells.get(cell) ?? 0) + rowCells[cell]!);
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
  // Per model (the primary keys lead with model_id), not a scan of every model's rollups; the
  // window's whole days from the daily rollups.
  const params: unknown[] = [modelIds];
  const source = rollupSource(params, from, to, ` AND model_id = ANY($1::uuid[]) AND cell NOT LIKE 'lat:%' AND cell NOT LIKE 'score:%'`, true);
  const { rows } = await monitoringPool().query<RollupTotalsRow>(
    `SELECT model_id, environment_id, version_id, series, cell, sum(value)::float8 AS value FROM ${source}
     GROUP BY model_id, environment_id, version_id, series, cell`,
    params,
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
  const params: unknown[] = [modelIds, bucketMs / 1000];
  const source = rollupSource(
    params,
    from,
    to,
    ` AND model_id = ANY($1::uuid[]) AND series IN ('records', 'labels') AND ((series = 'records' AND cell IN ('n', 'error')) OR (series = 'labels' AND cell NOT LIKE 'score:%'))`,
    bucketMs % DAY_MS === 0,
  );
  const { rows } = await monitoringPool().query<RollupTrendRow>(
    `SELECT model_id, environment_id, date_bin(make_interval(secs => $2), bucket, timestamptz 'epoch') AS bucket, series, cell, sum(value)::float8 AS value
     FROM ${source}
     GROUP BY 1, 2, 3, 4, 5`,
    params,
  );
  return rows;
}
