import 'server-only';
import { DEMO_DATASETS, generate } from '@/lib/demo/datasets';
import { mulberry32 } from '@/lib/demo/random';
import { db } from '@/lib/db';
import type { ReferenceProfiles } from '@/lib/server/monitoring/reference-profile';

export const EVALUATION_ROWS = 2_000;
/** The demo's held-out seed (lib/demo/build-demo-models.ts): rows no demo version was trained on. */
const DEMO_HELD_OUT_SEED = 12;

export interface EvaluationRows {
  source: 'reference' | 'demo_held_out' | null;
  rows: number[][];
  description: string;
}

/**
 * Input rows to measure a version on (variant accuracy, load probes) and to prefill forms
 * with, in feature order. The reference keeps per-column profiles, not rows, so its rows are
 * drawn column by column (seeded: the same rows every time); the demo models' held-out data
 * is regenerated exactly. Without either, nothing is made up.
 */
export async function evaluationRows(versionId: string, model: string, features: readonly { name: string; type: string }[]): Promise<EvaluationRows> {
  const reference = await db().monitoringReference.findUnique({ where: { versionId }, select: { profiles: true, rows: true } });
  if (reference) {
    const rows = rowsFromProfiles(reference.profiles as unknown as ReferenceProfiles, features);
    if (rows) {
      return {
        source: 'reference',
        rows,
        description: `${rows.length.toLocaleString('en')} rows drawn from the uploaded reference (${reference.rows.toLocaleString('en')} rows), each column from its own distribution.`,
      };
    }
  }
  const demo = DEMO_DATASETS[model];
  if (demo && demo.features.length === features.length && demo.features.every((f, i) => f.name === features[i]?.name)) {
    return {
      source: 'demo_held_out',
      rows: generate(demo, EVALUATION_ROWS, { seed: DEMO_HELD_OUT_SEED }).rows,
      description: `${EVALUATION_ROWS.toLocaleString('en')} held-out rows of the demo dataset no version was trained on.`,
    };
  }
  return { source: null, rows: [], description: 'No reference data: upload a reference for this version to measure on it.' };
}

function rowsFromProfiles(profiles: ReferenceProfiles, features: readonly { name: string }[]): number[][] | null {
  const random = mulberry32(7);
  const samplers: Array<() => number> = [];
  for (const feature of features) {
    const column = profiles[feature.name];
    if (!column) return null;
    let values: number[];
    let weights: number[];
    if (column.type === 'numeric') {
      values = column.profile.values;
      weights = column.profile.multiplicities;
    } else {
      // Categorical features reach the graph as numeric codes; other labels cannot be fed to it.
      const entries = Object.entries(column.counts).filter(([code]) => code.trim() !== '' && Number.isFinite(Number(code)));
      values = entries.map(([code]) => Number(code));
      weights = entries.map(([, count]) => count);
    }
    if (values.length === 0) return null;
    const cumulative: number[] = [];
    let total = 0;
    for (const weight of weights) cumulative.push((total += weight));
    samplers.push(() => {
      const target = random() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > target) hi = mid;
        else lo = mid + 1;
      }
      return values[lo]!;
    });
  }
  return Array.from({ length: EVALUATION_ROWS }, () => samplers.map((sample) => sample()));
}
