import 'server-only';
import type { AlertRule } from '@/lib/generated/prisma/client';

type RuleWithNames = AlertRule & { model: { name: string }; environmentName: string; versionNumber: number | null };

export function serializeRule(rule: RuleWithNames) {
  return {
    id: rule.id,
    name: rule.name,
    model: rule.model.name,
    environment: rule.environmentName,
    version: rule.versionNumber,
    signal: rule.signal,
    comparator: rule.comparator as '>' | '>=' | '<' | '<=',
    threshold: rule.threshold,
    windowMinutes: rule.windowMinutes,
    minSamples: rule.minSamples,
    severity: rule.severity as 'info' | 'warning' | 'critical',
    channels: rule.channelIds,
    actions: rule.actions,
    enabled: rule.enabled,
    snoozedUntil: rule.snoozedUntil?.toISOString() ?? null,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}
