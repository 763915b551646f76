import 'server-only';
import type { AlertRule } from '@/lib/generated/prisma/client';
import { signalFor } from './signals';
import type { SeriesPoint } from './simulate-rule';

/** Windows measured side by side: each reads a few rollup rows, and the pool is shared. */
const CONCURRENCY = 4;

/**
 * The rule's signal measured as the evaluator would have at each step end between `from` and
 * `to` (each over the rule's own window), for charts and previews. `seriesKey` picks one
 * series of a multi-series signal; by default the first one measured.
 */
export async function measureSeries(
  rule: AlertRule,
  options: { from: number; to: number; stepMs: number; seriesKey?: string },
): Promise<SeriesPoint[]> {
  const signal = signalFor((rule.signal as { type: string }).type);
  if (!signal) return [];
  const ends: number[] = [];
  for (let at = options.from + options.stepMs; at < options.to; at += options.stepMs) ends.push(at);
  ends.push(options.to);
  const points: SeriesPoint[] = new Array(ends.length);
  let next = 0;
  const worker = async () => {
    while (next < ends.length) {
      const index = next++;
      const at = ends[index]!;
      const measured = await signal.measure(rule, { from: new Date(at - rule.windowMinutes * 60_000), to: new Date(at) });
      const pick = options.seriesKey === undefined ? measured[0] : measured.find((m) => m.seriesKey === options.seriesKey);
      points[index] = { at, value: pick?.value ?? null, samples: pick?.samples ?? 0, ...(pick?.significant === undefined ? {} : { significant: pick.significant }) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ends.length) }, worker));
  return points;
}
