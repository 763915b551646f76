import 'server-only';
import { db } from '@/lib/db';
import { decisionFigure, type FeatureDrift } from '@/lib/stats/drift';
import { OVERVIEW_WINDOWS, type Health, type Overview, type OverviewWindow } from '@/lib/validation/monitoring';
import { bucketDrift } from './get-drift-series';
import { loadVersionShapes, type VersionShape } from './load-target';
import { bucketAxis, bucketStart, DAY_MS, HOUR_MS, readRollupTotals, readRollupTrends, type BucketCells } from './read-rollups';
import { operationFigures, performanceFigures } from './rollup-figures';

/**
 * The health rules of the overview (docs/monitoring.md says the same in words):
 * - no data: no prediction in the window;
 * - degraded: error rate ≥ 5 % over the window, or the quality metric worse than in the
 *   previous window of the same length — accuracy down by ≥ 0.05 (classification), RMSE up
 *   by ≥ 20 % (regression) — when both windows have labelled predictions;
 * - drifting: not degraded, and at least one feature (or the prediction) of the measured
 *   version drifted over the window against its reference;
 * - healthy: predictions arrive and none of the above holds.
 */
export const HEALTH_RULES = { errorRate: 0.05, accuracyDrop: 0.05, rmseRise: 0.2 } as const;

const SPARK_BUCKET_MS: Record<OverviewWindow, number> = { '24h': HOUR_MS, '7d': 6 * HOUR_MS, '30d': DAY_MS };
const OPEN_ALERT = ['firing', 'acknowledged'];
const WINDOW_WORDS: Record<OverviewWindow, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days' };

type Row = Overview['rows'][number];
type Task = Row['task'];

function add(bucket: BucketCells, series: string, cell: string, value: number) {
  let cells = bucket.get(series);
  if (!cells) bucket.set(series, (cells = new Map()));
  cells.set(cell, (cells.get(cell) ?? 0) + value);
}

/** The overview's quality metric: accuracy for classifiers, RMSE for regressors; what exists for the others. */
function metricOf(task: Task, bucket: BucketCells): { name: string; value: number | null } {
  const figures = performanceFigures(bucket);
  if (task === 'regression') return { name: 'rmse', value: figures.rmse };
  if (task === 'classification') return { name: 'accuracy', value: figures.accuracy };
  return figures.rmse !== null ? { name: 'rmse', value: figures.rmse } : { name: 'accuracy', value: figures.accuracy };
}

/**
 * How far a feature is past (≥ 1) or below (< 1) its threshold: value / threshold for the
 * distances (PSI, Jensen–Shannon), threshold / p for the tests (chi-square), so the worst
 * feature of any method sorts first.
 */
export function driftRatio(drift: FeatureDrift): number | null {
  const figure = decisionFigure(drift);
  if (figure === undefined || drift.nCurrent === 0) return null;
  if (drift.method === 'chi_square' || drift.method === 'ks') return drift.threshold / Math.max(figure, 1e-300);
  return drift.threshold > 0 ? figure / drift.threshold : figure > 0 ? Number.POSITIVE_INFINITY : 0;
}

/**
 * Every model in every environment it is live in or has predictions from, with its health,
 * trends, worst feature and open alerts — from the rollups only (summed in the database), so
 * its cost does not grow with the traffic.
 */
export async function getMonitoringOverview(query: { window: OverviewWindow }): Promise<Overview> {
  const span = OVERVIEW_WINDOWS[query.window];
  const bucketMs = SPARK_BUCKET_MS[query.window];
  const to = new Date();
  const from = new Date(bucketStart(to.getTime() - span, HOUR_MS));
  const previousFrom = new Date(from.getTime() - span);
  const models = await db().model.findMany({ select: { id: true, name: true, task: true }, orderBy: { name: 'asc' } });
  const modelIds = models.map((m) => m.id);
  const [environments, live, totals, trends, alerts] = await Promise.all([
    db().environment.findMany({ select: { id: true, name: true, position: true } }),
    db().release.findMany({
      where: { liveAt: { not: null, lte: to }, endedAt: null, strategy: { not: 'shadow' } },
      select: { modelId: true, environmentId: true, versionId: true },
      orderBy: { liveAt: 'asc' },
    }),
    readRollupTotals(modelIds, from, to),
    readRollupTrends(modelIds, previousFrom, to, bucketMs),
    db().alert.groupBy({ by: ['modelId', 'environmentId'], where: { status: { in: OPEN_ALERT } }, _count: { _all: true } }),
  ]);
  const environmentById = new Map(environments.map((e) => [e.id, e]));
  const key = (modelId: string, environmentId: string) => `${modelId}/${environmentId}`;

  // The primary live version per (model, environment): the earliest still-live release, as liveHistory credits it.
  const liveVersion = new Map<string, string>();
  for (const release of live) if (!liveVersion.has(key(release.modelId, release.environmentId))) liveVersion.set(key(release.modelId, release.environmentId), release.versionId);

  // Window totals per (model, environment) → version → cells.
  const byPair = new Map<string, Map<string, BucketCells>>();
  for (const row of totals) {
    const k = key(row.model_id, row.environment_id);
    let versions = byPair.get(k);
    if (!versions) byPair.set(k, (versions = new Map()));
    let cells = versions.get(row.version_id);
    if (!cells) versions.set(row.version_id, (cells = new Map()));
    add(cells, row.series, row.cell, row.value);
  }

  // Trend buckets per (model, environment), all versions together; the previous window in one more bucket.
  const trendByPair = new Map<string, { buckets: Map<number, BucketCells>; previous: BucketCells }>();
  for (const row of trends) {
    const k = key(row.model_id, row.environment_id);
    let trend = trendByPair.get(k);
    if (!trend) trendByPair.set(k, (trend = { buckets: new Map(), previous: new Map() }));
    const t = row.bucket.getTime();
    if (t < from.getTime()) {
      if (row.series === 'labels') add(trend.previous, row.series, row.cell, row.value);
      continue;
    }
    let bucket = trend.buckets.get(t);
    if (!bucket) trend.buckets.set(t, (bucket = new Map()));
    add(bucket, row.series, row.cell, row.value);
  }

  const alertCount = new Map(alerts.map((a) => [key(a.modelId, a.environmentId), a._count._all]));

  // The version drift is measured on, per pair: live now if it has data, else the busiest.
  const measured = new Map<string, string>();
  for (const [k, versions] of byPair) {
    const liveId = liveVersion.get(k);
    if (liveId && versions.has(liveId)) measured.set(k, liveId);
    else {
      const busiest = [...versions.entries()].sort((a, b) => (b[1].get('records')?.get('n') ?? 0) - (a[1].get('records')?.get('n') ?? 0))[0];
      if (busiest) measured.set(k, busiest[0]);
    }
  }
  for (const [k, versionId] of liveVersion) if (!measured.has(k)) measured.set(k, versionId);
  const shapes = new Map<string, VersionShape>();
  const versionIdsByModel = new Map<string, string[]>();
  for (const [k, versionId] of measured) {
    const modelId = k.split('/')[0]!;
    versionIdsByModel.set(modelId, [...(versionIdsByModel.get(modelId) ?? []), versionId]);
  }
  await Promise.all(
    [...versionIdsByModel].map(async ([modelId, ids]) => {
      for (const shape of await loadVersionShapes(modelId, { ids })) shapes.set(shape.id, shape);
    }),
  );

  const axis = bucketAxis(from, to, bucketMs);
  const rows: Row[] = [];
  for (const model of models) {
    const pairs = new Set<string>();
    for (const k of [...liveVersion.keys(), ...byPair.keys(), ...alertCount.keys()]) if (k.startsWith(`${model.id}/`)) pairs.add(k);
    const ordered = [...pairs]
      .map((k) => ({ k, environment: environmentById.get(k.split('/')[1]!) }))
      .filter((p) => p.environment !== undefined)
      .sort((a, b) => a.environment!.position - b.environment!.position);
    if (ordered.length === 0) {
      rows.push(emptyRow(model, axis));
      continue;
    }
    for (const { k, environment } of ordered) rows.push(pairRow(model, environment!.name, k));
  }

  function pairRow(model: { name: string; task: Task }, environment: string, k: string): Row {
    const versions = byPair.get(k) ?? new Map<string, BucketCells>();
    const all: BucketCells = new Map();
    for (const cells of versions.values()) for (const [series, c] of cells) for (const [cell, v] of c) add(all, series, cell, v);
    const ops = operationFigures(all);
    const trend = trendByPair.get(k);
    const current = metricOf(model.task, all);
    const previous = trend ? metricOf(model.task, trend.previous) : { value: null };
    const shape = measured.has(k) ? shapes.get(measured.get(k)!) : undefined;
    const drift = shape ? bucketDrift(shape, versions.get(shape.id)) : undefined;
    const columns = drift ? [...drift.features, ...(drift.prediction ? [drift.prediction] : [])] : [];
    let worst: Row['worstFeature'] = null;
    for (const feature of drift?.features ?? []) {
      const ratio = driftRatio(feature);
      if (ratio === null || (worst && worst.ratio >= ratio)) continue;
      worst = { name: feature.name, method: feature.method, value: decisionFigure(feature)!, threshold: feature.threshold, ratio: Number.isFinite(ratio) ? ratio : Number.MAX_VALUE, drifted: feature.drifted };
    }
    const driftedColumns = columns.filter((c) => c.nCurrent > 0 && c.drifted);

    const reasons: string[] = [];
    let health: Health;
    if (ops.count === 0) {
      health = 'no_data';
      reasons.push(`No predictions in the last ${WINDOW_WORDS[query.window]}.`);
    } else {
      if (ops.errorRate !== null && ops.errorRate >= HEALTH_RULES.errorRate) reasons.push(`Error rate ${(ops.errorRate * 100).toFixed(1)} % (≥ ${HEALTH_RULES.errorRate * 100} %).`);
      if (current.value !== null && previous.value !== null) {
        if (current.name === 'accuracy' && previous.value - current.value >= HEALTH_RULES.accuracyDrop) {
          reasons.push(`Accuracy ${current.value.toFixed(3)}, down from ${previous.value.toFixed(3)}.`);
        }
        if (current.name === 'rmse' && previous.value > 0 && current.value / previous.value - 1 >= HEALTH_RULES.rmseRise) {
          reasons.push(`RMSE ${current.value.toPrecision(3)}, up from ${previous.value.toPrecision(3)}.`);
        }
      }
      if (reasons.length > 0) health = 'degraded';
      else if (driftedColumns.length > 0) {
        health = 'drifting';
        reasons.push(`Drifted: ${driftedColumns.map((c) => c.name).join(', ')}.`);
      } else {
        health = 'healthy';
        if (shape && !shape.profiles) reasons.push(`v${shape.version} has no reference: drift is not measured.`);
      }
    }
    const buckets = trend?.buckets;
    return {
      model: model.name,
      task: model.task,
      environment,
      version: shape?.version ?? null,
      health,
      reasons,
      predictions: ops.count,
      errorRate: ops.errorRate,
      metric: { name: current.name, value: current.value, previous: previous.value },
      worstFeature: worst,
      driftedFeatures: drift ? drift.features.filter((f) => f.nCurrent > 0 && f.drifted).length : 0,
      features: drift?.features.length ?? 0,
      openAlerts: alertCount.get(k) ?? 0,
      sparklines: {
        t: axis.map((t) => new Date(t).toISOString()),
        throughput: axis.map((t) => {
          const n = buckets?.get(t)?.get('records')?.get('n') ?? 0;
          return n > 0 ? n / (bucketMs / 60_000) : null;
        }),
        metric: axis.map((t) => {
          const bucket = buckets?.get(t);
          return bucket ? metricOf(model.task, bucket).value : null;
        }),
      },
    };
  }

  function emptyRow(model: { name: string; task: Task }, axisTimes: number[]): Row {
    return {
      model: model.name,
      task: model.task,
      environment: null,
      version: null,
      health: 'no_data',
      reasons: ['Not live in any environment and no predictions received.'],
      predictions: 0,
      errorRate: null,
      metric: null,
      worstFeature: null,
      driftedFeatures: 0,
      features: 0,
      openAlerts: 0,
      sparklines: { t: axisTimes.map((t) => new Date(t).toISOString()), throughput: axisTimes.map(() => null), metric: axisTimes.map(() => null) },
    };
  }

  return { from: from.toISOString(), to: to.toISOString(), window: query.window, thresholds: { ...HEALTH_RULES }, rows };
}
