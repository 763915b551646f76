import 'server-only';
import { SERIES_BUCKETS, type PerformanceQuery } from '@/lib/validation/monitoring';
import { findEnvironmentIdOrThrow, findModelTargetOrThrow, findVersionShapeOrThrow, loadVersionShapes } from './load-target';
import { bucketAxis, readRollups, type BucketCells } from './read-rollups';
import { operationFigures, performanceFigures } from './rollup-figures';

/** Default window per bucket width when `from` is omitted. */
const DEFAULT_SPAN_MS = { '1h': 86_400_000, '1d': 30 * 86_400_000 } as const;

/** One point of the series: operations over all predictions, quality over the labelled ones. */
export function performancePoint(t: number, bucket: BucketCells | undefined, bucketMs: number) {
  const empty: BucketCells = new Map();
  const ops = operationFigures(bucket ?? empty);
  const quality = performanceFigures(bucket ?? empty);
  return {
    t: new Date(t).toISOString(),
    count: ops.count,
    throughputPerMinute: ops.count > 0 ? ops.count / (bucketMs / 60_000) : null,
    errorRate: ops.errorRate,
    latencyP50Ms: ops.p50,
    latencyP95Ms: ops.p95,
    latencyP99Ms: ops.p99,
    labeled: quality.labeled,
    accuracy: quality.accuracy,
    precision: quality.precision,
    recall: quality.recall,
    f1: quality.f1,
    auc: quality.auc,
    logLoss: quality.logLoss,
    mae: quality.mae,
    mse: quality.mse,
    rmse: quality.rmse,
    r2: quality.r2,
  };
}

/**
 * Performance and operations of a model in an environment, per version and bucket, from the
 * hourly rollups (never the raw rows). Every bucket of the window is present; one without
 * predictions has count 0 and null figures, so a chart shows a gap, not a drop to zero.
 */
export async function getPerformance(modelName: string, query: PerformanceQuery) {
  const model = await findModelTargetOrThrow(modelName);
  const environmentId = await findEnvironmentIdOrThrow(query.environment);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_SPAN_MS[query.bucket]);
  const bucketMs = SERIES_BUCKETS[query.bucket];
  const only = query.version === undefined ? undefined : await findVersionShapeOrThrow(model, query.version);
  const window = await readRollups({
    modelId: model.id,
    environmentId,
    versionId: only?.id,
    from,
    to,
    bucketMs,
    series: ['records', 'labels'],
  });
  const versionIds = only ? [only.id] : [...window.keys()];
  const shapes = versionIds.length > 0 ? await loadVersionShapes(model.id, { ids: versionIds }) : [];
  const axis = bucketAxis(from, to, bucketMs);
  return {
    model: model.name,
    environment: query.environment,
    task: model.task,
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: query.bucket,
    versions: shapes
      .sort((a, b) => a.version - b.version)
      .map((shape) => ({
        version: shape.version,
        points: axis.map((t) => performancePoint(t, window.get(shape.id)?.get(t), bucketMs)),
      })),
  };
}
