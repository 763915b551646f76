import 'server-only';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';
import { evaluationRows } from './evaluation-rows';

/** More distinct codes than this and a categorical feature gets a number input instead of a select. */
const MAX_OPTIONS = 50;

/**
 * The Try-it form of a version: one field per feature of its schema, prefilled with a typical
 * value of the evaluation rows (the median of a numeric column, the most frequent code of a
 * categorical one), categorical codes offered as a select. Without evaluation rows fields
 * start at 0.
 */
export async function getTryForm(model: string, versionNumber: number) {
  const version = await findVersionOrThrow(model, versionNumber);
  const features = Array.isArray(version.features) ? (version.features as { name: string; type: string }[]) : [];
  const evaluation = await evaluationRows(version.id, version.model.name, features);
  return {
    source: evaluation.source,
    features: features.map((feature, i) => {
      const column = evaluation.rows.map((row) => row[i]!).sort((a, b) => a - b);
      if (column.length === 0) return { name: feature.name, type: feature.type, defaultValue: 0, options: null };
      if (feature.type === 'categorical') {
        const counts = new Map<number, number>();
        for (const code of column) counts.set(code, (counts.get(code) ?? 0) + 1);
        const mostFrequent = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
        return { name: feature.name, type: feature.type, defaultValue: mostFrequent, options: counts.size <= MAX_OPTIONS ? [...counts.keys()].sort((a, b) => a - b) : null };
      }
      const median = column[Math.floor(column.length / 2)]!;
      return { name: feature.name, type: feature.type, defaultValue: Number(median.toPrecision(4)), options: null };
    }),
  };
}
