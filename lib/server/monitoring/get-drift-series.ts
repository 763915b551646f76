import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { datasetDrift, decisionFigure, hasVerdict, type FeatureDrift } from '@/lib/stats/drift';
import { minMaxDownsample } from '@/lib/stats/downsample';
import { SERIES_BUCKETS, type DriftSeriesQuery } from '@/lib/validation/monitoring';
import { findEnvironmentIdOrThrow, findModelTargetOrThrow, findVersionShapeOrThrow, liveHistory, type ModelTarget, type VersionShape } from './load-target';
import { bucketAxis, readRollups, type BucketCells } from './read-rollups';
import { PREDICTION_COLUMN } from './reference-profile';
import { columnDrift, columnSeries } from './rollup-figures';

/** Most points per series sent to a chart; longer series are downsampled (min/max per slot). */
export const MAX_DRIFT_POINTS = 500;
const DEFAULT_SPAN_MS = { '1h': 86_400_000, '1d': 30 * 86_400_000 } as const;

export interface DriftColumn {
  name: string;
  type: 'numeric' | 'categorical';
  series: string;
}

/** The columns of a version that drift is measured on: its features, and the prediction when it has a reference. */
export function driftColumns(shape: VersionShape): { features: DriftColumn[]; prediction: DriftColumn | undefined } {
  const features = [...shape.numeric, ...shape.categorical].map((slot) => ({ name: slot.name, type: slot.type, series: columnSeries(slot.name, slot.type) }));
  const profile = shape.profiles?.[PREDICTION_COLUMN];
  const prediction = profile ? { name: PREDICTION_COLUMN, type: profile.type, series: columnSeries(PREDICTION_COLUMN, profile.type, true) } : undefined;
  return { features, prediction };
}

/** Drift of every column of a version in one bucket (or a whole window merged into one). */
export function bucketDrift(shape: VersionShape, bucket: BucketCells | undefined) {
  const { features, prediction } = driftColumns(shape);
  const measure = (column: DriftColumn) => columnDrift(column.name, column.type, shape.profiles?.[column.name], bucket?.get(column.series));
  const featureDrifts = features.map(measure);
  return { features: featureDrifts, prediction: prediction ? measure(prediction) : undefined, dataset: datasetDrift(featureDrifts) };
}

/** The version a drift question is about: the one asked for, else the one live now. */
export async function resolveVersionOrThrow(model: ModelTarget, environmentId: string, environment: string, version: number | undefined) {
  if (version !== undefined) return findVersionShapeOrThrow(model, version);
  const liveVersionId = (await liveHistory(model.id, environmentId))(Date.now());
  if (!liveVersionId) throw notFound(`No version of ${model.name} is live in ${environment}; pass version.`);
  const live = await db().modelVersion.findUniqueOrThrow({ where: { id: liveVersionId }, select: { version: true } });
  return findVersionShapeOrThrow(model, live.version);
}

function point(t: number, drift: FeatureDrift) {
  const value = drift.nCurrent > 0 ? decisionFigure(drift) ?? null : null;
  return {
    t,
    v: value,
    nCurrent: drift.nCurrent,
    nNull: drift.nNull,
    method: drift.method as 'psi' | 'jensen_shannon' | 'chi_square',
    value,
    // No verdict in an empty bucket, nor in one with too few values (its figures still show).
    drifted: value === null || drift.tooFewValues ? null : drift.drifted,
    psi: drift.psi ?? null,
    jensenShannon: drift.jensenShannon ?? null,
    chiSquarePValue: drift.chiSquare?.pValue ?? null,
  };
}

type Point = ReturnType<typeof point>;

/** ISO strings of bucket starts, made once per bucket rather than once per point of every series. */
function isoTimes() {
  const strings = new Map<number, string>();
  return (t: number) => {
    let iso = strings.get(t);
    if (iso === undefined) strings.set(t, (iso = new Date(t).toISOString()));
    return iso;
  };
}

function toSeries(name: string, type: 'numeric' | 'categorical', threshold: number, points: Point[], iso: (t: number) => string) {
  const kept = points.length > MAX_DRIFT_POINTS ? minMaxDownsample(points, MAX_DRIFT_POINTS) : points;
  return { name, type, threshold, points: kept.map(({ t, v: _v, ...rest }) => ({ t: iso(t), ...rest })) };
}

/**
 * Drift of each feature (and of the prediction) of one version per bucket, from the hourly
 * rollups: PSI and Jensen–Shannon on the reference's decile bins for numeric features,
 * chi-square, PSI and Jensen–Shannon on the categories. An empty bucket is a gap (null).
 * Series longer than MAX_DRIFT_POINTS are downsampled with min/max, so a spike stays visible.
 */
export async function getDriftSeries(modelName: string, query: DriftSeriesQuery) {
  const model = await findModelTargetOrThrow(modelName);
  const environmentId = await findEnvironmentIdOrThrow(query.environment);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_SPAN_MS[query.bucket]);
  const bucketMs = SERIES_BUCKETS[query.bucket];
  const shape = await resolveVersionOrThrow(model, environmentId, query.environment, query.version);
  const columns = driftColumns(shape);
  const window = await readRollups({
    modelId: model.id,
    environmentId,
    versionId: shape.id,
    from,
    to,
    bucketMs,
    series: [...columns.features, ...(columns.prediction ? [columns.prediction] : [])].map((column) => column.series),
  });
  const buckets = window.get(shape.id);
  const axis = bucketAxis(from, to, bucketMs);
  const perBucket = axis.map((t) => ({ t, ...bucketDrift(shape, buckets?.get(t)) }));
  const iso = isoTimes();
  const features = columns.features.map((column, i) =>
    toSeries(column.name, column.type, perBucket[0]?.features[i]?.threshold ?? 0, perBucket.map((b) => point(b.t, b.features[i]!)), iso),
  );
  const prediction = columns.prediction
    ? toSeries(columns.prediction.name, columns.prediction.type, perBucket[0]?.prediction?.threshold ?? 0, perBucket.map((b) => point(b.t, b.prediction!)), iso)
    : undefined;
  const datasetPoints = perBucket.map((b) => {
    const measured = b.features.some((f) => f.nCurrent > 0 && hasVerdict(f));
    return { t: b.t, v: measured ? b.dataset.share : null, drifted: measured ? b.dataset.drifted : null };
  });
  const dataset = datasetPoints.length > MAX_DRIFT_POINTS ? minMaxDownsample(datasetPoints, MAX_DRIFT_POINTS) : datasetPoints;
  return {
    model: model.name,
    environment: query.environment,
    version: shape.version,
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: query.bucket,
    hasReference: shape.profiles !== null,
    downsampled: axis.length > MAX_DRIFT_POINTS,
    features,
    ...(prediction ? { prediction } : {}),
    datasetDrift: dataset.map((p) => ({ t: iso(p.t), share: p.v, drifted: p.drifted })),
  };
}
