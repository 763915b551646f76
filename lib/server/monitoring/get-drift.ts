import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { categoricalDriftFromCounts, categoryCounts, datasetDrift, numericDrift, type FeatureDrift } from '@/lib/stats/drift';
import type { NumericReferenceProfile } from '@/lib/stats/drift-counts';
import type { DriftQuery } from '@/lib/validation/monitoring';
import { findEnvironmentIdOrThrow, findModelTargetOrThrow, findVersionShapeOrThrow, liveHistory } from './load-target';
import { monitoringPool } from './pool';
import { PREDICTION_COLUMN, type ColumnProfile } from './reference-profile';

const DAY = 86_400_000;

/** The reference multiset back as values (a profile keeps each distinct value and its count). */
function expand(profile: NumericReferenceProfile): Float64Array {
  const out = new Float64Array(profile.n);
  let at = 0;
  profile.values.forEach((value, i) => out.fill(value, at, (at += profile.multiplicities[i]!)));
  return out;
}

function compare(name: string, type: 'numeric' | 'categorical', reference: ColumnProfile | undefined, current: (number | string | null)[]): FeatureDrift {
  if (type === 'numeric') {
    const values = reference?.type === 'numeric' ? expand(reference.profile) : new Float64Array(0);
    const result = numericDrift(name, values, current as (number | null)[]);
    return reference?.type === 'numeric' ? { ...result, nNullReference: reference.profile.nNull } : result;
  }
  const ref = reference?.type === 'categorical' ? { counts: new Map(Object.entries(reference.counts)), nNull: reference.nNull } : { counts: new Map<string, number>(), nNull: 0 };
  return categoricalDriftFromCounts(name, ref, categoryCounts(current as (string | null)[]));
}

/**
 * Drift of each feature (and of the prediction) of one version in one environment over
 * [from, to), against the version's reference, with lib/stats on the window's raw values —
 * exact statistics including Wasserstein. Only the window's day tables are read.
 */
export async function getDrift(modelName: string, query: DriftQuery) {
  const model = await findModelTargetOrThrow(modelName);
  const environmentId = await findEnvironmentIdOrThrow(query.environment);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DAY);
  let versionNumber = query.version;
  if (versionNumber === undefined) {
    const liveVersionId = (await liveHistory(model.id, environmentId))(Date.now());
    if (!liveVersionId) throw notFound(`No version of ${model.name} is live in ${query.environment}; pass version.`);
    versionNumber = (await db().modelVersion.findUniqueOrThrow({ where: { id: liveVersionId }, select: { version: true } })).version;
  }
  const shape = await findVersionShapeOrThrow(model, versionNumber);
  const { rows } = await monitoringPool().query<{
    num_values: (number | null)[] | null;
    cat_values: (string | null)[] | null;
    pred_num: number | null;
    pred_label: string | null;
    score: number | null;
  }>(
    `SELECT num_values, cat_values, pred_num, pred_label, score FROM monitoring_predictions
     WHERE model_id = $1 AND environment_id = $2 AND version_id = $3 AND ts >= $4 AND ts < $5`,
    [model.id, environmentId, shape.id, from, to],
  );
  const profiles = shape.profiles ?? {};
  const features = [
    ...shape.numeric.map((slot) => compare(slot.name, 'numeric', profiles[slot.name], rows.map((r) => r.num_values?.[slot.index] ?? null))),
    ...shape.categorical.map((slot) => compare(slot.name, 'categorical', profiles[slot.name], rows.map((r) => r.cat_values?.[slot.index] ?? null))),
  ];
  const predictionProfile = profiles[PREDICTION_COLUMN];
  const prediction = predictionProfile
    ? predictionProfile.type === 'numeric'
      ? compare(PREDICTION_COLUMN, 'numeric', predictionProfile, rows.map((r) => r.pred_num ?? r.score))
      : compare(PREDICTION_COLUMN, 'categorical', predictionProfile, rows.map((r) => r.pred_label))
    : undefined;
  return {
    model: model.name,
    environment: query.environment,
    version: shape.version,
    from: from.toISOString(),
    to: to.toISOString(),
    hasReference: shape.profiles !== null,
    features,
    ...(prediction ? { prediction } : {}),
    datasetDrift: datasetDrift(features),
  };
}
