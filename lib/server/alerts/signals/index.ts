import 'server-only';
import { datasetDriftSignal } from './dataset-drift';
import { errorRateSignal } from './error-rate';
import { featureDriftSignal } from './feature-drift';
import { latencySignal } from './latency';
import { performanceSignal } from './performance';
import { predictionDriftSignal } from './prediction-drift';
import { trafficDropSignal } from './traffic-drop';
import type { AlertRule } from '@/lib/generated/prisma/client';
import type { AlertSignal } from './types';

/**
 * Signals that can be evaluated, keyed by `signal.type` (lib/validation/alerts.ts). Each reads
 * the monitoring rollups through the same queries as the performance and drift-series
 * endpoints. Tests may replace entries with signals of their own.
 */
export const SIGNAL_REGISTRY: Map<string, AlertSignal> = new Map([
  ['error_rate', errorRateSignal],
  ['latency', latencySignal],
  ['traffic_drop', trafficDropSignal],
  ['performance', performanceSignal],
  ['feature_drift', featureDriftSignal],
  ['dataset_drift', datasetDriftSignal],
  ['prediction_drift', predictionDriftSignal],
]);

export function signalFor(type: string): AlertSignal | undefined {
  return SIGNAL_REGISTRY.get(type);
}

/** What a rule fires on: its signal's own condition where it has one, else its comparator and threshold. */
export function conditionOf(rule: Pick<AlertRule, 'signal' | 'comparator' | 'threshold'>): { comparator: string; threshold: number } {
  const signal = rule.signal as Record<string, unknown>;
  return signalFor(String(signal.type))?.condition?.(signal) ?? { comparator: rule.comparator, threshold: rule.threshold };
}
