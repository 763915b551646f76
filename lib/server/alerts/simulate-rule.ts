import { breaches } from './compare';

export interface SeriesPoint {
  /** End of the window measured (ms). */
  at: number;
  value: number | null;
  samples: number;
  /** As Measurement.significant: false makes a breach say nothing. */
  significant?: boolean;
}

export interface SimulatedRule {
  /** Whether each point breaches the condition with enough samples (null: too few samples, no data, or a breach not significant). */
  breached: (boolean | null)[];
  /** Spans during which the rule would have held an open alert; `to` null: still open at the end. */
  spans: { from: number; to: number | null }[];
  firings: number;
}

/**
 * Replays the evaluator's lifecycle over measured points: fire on a breach with at least
 * `minSamples`, resolve once clear for a full window, points with too few samples (or a
 * breach that is not significant) change nothing. Pure, so the preview and the evaluator
 * cannot disagree on what "fired" means.
 */
export function simulateRule(
  points: readonly SeriesPoint[],
  rule: { comparator: string; threshold: number; minSamples: number; windowMinutes: number },
): SimulatedRule {
  const breached: (boolean | null)[] = [];
  const spans: { from: number; to: number | null }[] = [];
  let openSince: number | null = null;
  let clearSince: number | null = null;
  for (const point of points) {
    if (point.value === null || !Number.isFinite(point.value) || point.samples < rule.minSamples) {
      breached.push(null);
      continue;
    }
    const breach = breaches(point.value, rule.comparator, rule.threshold);
    if (breach && point.significant === false) {
      breached.push(null);
      continue;
    }
    breached.push(breach);
    if (breach) {
      clearSince = null;
      if (openSince === null) openSince = point.at;
    } else if (openSince !== null) {
      clearSince ??= point.at;
      if (point.at - clearSince >= rule.windowMinutes * 60_000) {
        spans.push({ from: openSince, to: point.at });
        openSince = null;
        clearSince = null;
      }
    }
  }
  if (openSince !== null) spans.push({ from: openSince, to: null });
  return { breached, spans, firings: spans.length };
}
