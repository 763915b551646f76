import type { Signal } from '@/lib/validation/alerts';

/** What a rule's form holds; strings as typed, converted once into the draft sent. */
export interface RuleFormValues {
  name: string;
  model: string;
  environment: string;
  version: string;
  signalType: string;
  feature: string;
  statistic: string;
  metric: string;
  percentile: string;
  percent: string;
  against: string;
  comparator: string;
  threshold: string;
  windowMinutes: string;
  minSamples: string;
  severity: string;
  channels: string[];
  requestRetraining: boolean;
}

/** A stored rule as the editor's form values. */
export function ruleFormValues(rule: {
  name: string;
  model: string;
  environment: string;
  version: number | null;
  signal: unknown;
  comparator: string;
  threshold: number;
  windowMinutes: number;
  minSamples: number;
  severity: string;
  channels: string[];
  actions: string[];
}): RuleFormValues {
  const signal = rule.signal as Signal;
  return {
    name: rule.name,
    model: rule.model,
    environment: rule.environment,
    version: rule.version === null ? '' : String(rule.version),
    signalType: signal.type,
    feature: signal.type === 'feature_drift' ? signal.feature : '',
    statistic: signal.type === 'feature_drift' ? (signal.statistic ?? '') : '',
    metric: signal.type === 'performance' ? signal.metric : '',
    percentile: signal.type === 'latency' ? String(signal.percentile) : '95',
    percent: signal.type === 'traffic_drop' ? String(signal.percent) : '50',
    against: signal.type === 'traffic_drop' ? (signal.against ?? 'day') : 'day',
    comparator: rule.comparator,
    threshold: String(rule.threshold),
    windowMinutes: String(rule.windowMinutes),
    minSamples: String(rule.minSamples),
    severity: rule.severity,
    channels: rule.channels,
    requestRetraining: rule.actions.includes('request_retraining'),
  };
}
