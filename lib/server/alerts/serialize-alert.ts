import 'server-only';
import type { Alert, AlertRule } from '@/lib/generated/prisma/client';

export type AlertWithRule = Alert & { rule: AlertRule & { model: { name: string } } };

export function serializeAlert(alert: AlertWithRule, environmentName: string) {
  return {
    id: alert.id,
    ruleId: alert.ruleId,
    ruleName: alert.rule.name,
    status: alert.status as 'firing' | 'acknowledged' | 'resolved',
    severity: alert.severity as 'info' | 'warning' | 'critical',
    model: alert.rule.model.name,
    environment: environmentName,
    signal: alert.rule.signal,
    value: alert.value,
    threshold: alert.threshold,
    comparator: alert.rule.comparator,
    samples: alert.samples,
    firedAt: alert.firedAt.toISOString(),
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    resolvedReason: alert.resolvedReason,
  };
}
