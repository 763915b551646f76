import 'server-only';
import { notFound } from '@/lib/errors';
import type { DistributionQuery } from '@/lib/validation/monitoring';
import { resolveVersionOrThrow } from './get-drift-series';
import { findEnvironmentIdOrThrow, findModelTargetOrThrow, type VersionShape } from './load-target';
import { DAY_MS, mergeWindow, readRollups } from './read-rollups';
import { PREDICTION_COLUMN } from './reference-profile';
import { columnSeries } from './rollup-figures';

/** What a sensitive column's bin and category labels read as in the UI and in exports. */
export const MASKED = '•••';
/** Categories beyond this many (by current + reference count) are summed into one "other" bar. */
const MAX_CATEGORIES = 30;

const formatEdge = (x: number) => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString());

interface Column {
  type: 'numeric' | 'categorical';
  sensitive: boolean;
  series: string;
}

/** The column a distribution is asked for: a feature of the version, or its prediction. */
function columnOrThrow(shape: VersionShape, name: string, modelName: string): Column {
  if (name === PREDICTION_COLUMN) {
    const profile = shape.profiles?.[PREDICTION_COLUMN];
    // Without a reference, a label-valued prediction still has its category counts.
    const type = profile?.type ?? 'categorical';
    return { type, sensitive: false, series: columnSeries(PREDICTION_COLUMN, type, true) };
  }
  const slot = shape.byName.get(name);
  if (!slot) throw notFound(`${modelName} v${shape.version} has no feature named "${name}".`);
  return { type: slot.type, sensitive: slot.sensitive, series: columnSeries(slot.name, slot.type) };
}

/**
 * Reference against current distribution of one column over a window, from the hourly rollups:
 * numeric columns on the reference's decile bins (the bins drift is measured on), categorical
 * ones per category. A sensitive column keeps its name and shares; its bin edges (reference
 * values) and categories (salted hashes) are masked.
 */
export async function getDistribution(modelName: string, query: DistributionQuery) {
  const model = await findModelTargetOrThrow(modelName);
  const environmentId = await findEnvironmentIdOrThrow(query.environment);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DAY_MS);
  const shape = await resolveVersionOrThrow(model, environmentId, query.environment, query.version);
  const column = columnOrThrow(shape, query.column, model.name);
  // One bucket of whole days as wide as the window (at most two after epoch alignment): the sums
  // arrive summed, and the window's whole days are read from the daily rollups.
  const bucketMs = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / DAY_MS)) * DAY_MS;
  const window = await readRollups({ modelId: model.id, environmentId, versionId: shape.id, from, to, bucketMs, series: [column.series] });
  const cells = mergeWindow(window).get(column.series) ?? new Map<string, number>();
  const nCurrent = cells.get('n') ?? 0;
  const nNull = cells.get('null') ?? 0;
  const profile = shape.profiles?.[query.column];
  const share = (count: number, total: number) => (total > 0 ? count / total : null);

  let bins: { label: string; referenceCount: number; currentCount: number }[] = [];
  let nReference = 0;
  let hasReference = false;
  if (column.type === 'numeric') {
    if (profile?.type === 'numeric') {
      hasReference = true;
      const { edges, bins: referenceBins } = profile.profile;
      nReference = profile.profile.n;
      bins = referenceBins.map((referenceCount, i) => ({
        label: i === 0 ? `< ${formatEdge(edges[0]!)}` : i === edges.length ? `≥ ${formatEdge(edges[i - 1]!)}` : `[${formatEdge(edges[i - 1]!)}, ${formatEdge(edges[i]!)})`,
        referenceCount,
        currentCount: cells.get(`bin:${i}`) ?? 0,
      }));
    }
  } else {
    const reference = profile?.type === 'categorical' ? profile.counts : {};
    hasReference = profile?.type === 'categorical';
    nReference = profile?.type === 'categorical' ? profile.n : 0;
    const names = new Set(Object.keys(reference));
    for (const key of cells.keys()) if (key.startsWith('cat:')) names.add(key.slice(4));
    const all = [...names].map((name) => ({ label: name, referenceCount: reference[name] ?? 0, currentCount: cells.get(`cat:${name}`) ?? 0 }));
    all.sort((a, b) => b.currentCount + b.referenceCount - (a.currentCount + a.referenceCount) || a.label.localeCompare(b.label));
    bins = all.slice(0, MAX_CATEGORIES);
    const rest = all.slice(MAX_CATEGORIES);
    if (rest.length > 0) {
      bins.push({
        label: `${rest.length} more`,
        referenceCount: rest.reduce((sum, b) => sum + b.referenceCount, 0),
        currentCount: rest.reduce((sum, b) => sum + b.currentCount, 0),
      });
    }
  }
  const currentTotal = bins.reduce((sum, b) => sum + b.currentCount, 0);
  return {
    model: model.name,
    environment: query.environment,
    version: shape.version,
    column: query.column,
    type: column.type,
    sensitive: column.sensitive,
    from: from.toISOString(),
    to: to.toISOString(),
    hasReference,
    nReference,
    nCurrent,
    nNull,
    bins: bins.map((bin, i) => ({
      label: column.sensitive ? `${MASKED} ${i + 1}` : bin.label,
      reference: hasReference ? share(bin.referenceCount, nReference) : null,
      current: share(bin.currentCount, currentTotal),
      referenceCount: bin.referenceCount,
      currentCount: bin.currentCount,
    })),
  };
}
