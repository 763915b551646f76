import type { AlertRule } from '@/lib/generated/prisma/client';

export interface EvaluationWindow {
  from: Date;
  to: Date;
}

/** One measurement of a series over a window. */
export interface Measurement {
  /** Identifies the series within the rule (e.g. a feature name); "" when the rule has one series. */
  seriesKey: string;
  value: number;
  samples: number;
  /**
   * False when the signal's own significance test does not back the value (a drift distance
   * whose chi-square test on the same counts does not reject): past the threshold, such a value
   * neither fires nor resolves. Absent: the value stands on its own.
   */
  significant?: boolean;
}

/**
 * One alert signal (rule 9 of ARCHITECTURE.md): adding a signal is one file implementing this,
 * listed in signals/index.ts. The evaluator applies minSamples, comparator, dedupe and
 * auto-resolve; a signal only measures. An empty list means no data in the window.
 */
export interface AlertSignal {
  measure(rule: AlertRule, window: EvaluationWindow): Promise<Measurement[]>;
  /**
   * The condition this signal fires on when it is not the rule's own comparator and threshold
   * (traffic_drop: a drop of at least `percent`).
   */
  condition?(signal: Record<string, unknown>): { comparator: string; threshold: number } | undefined;
  /** A short human label ("feature age: PSI"), used in messages and lists. */
  describe(signal: Record<string, unknown>): string;
}
