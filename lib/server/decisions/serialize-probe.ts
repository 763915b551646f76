import 'server-only';
import type { LoadProbe } from '@/lib/generated/prisma/client';
import type { LoadProbeView, ProbeOption, ProbeStep } from '@/lib/validation/decisions';

export const plannedSteps = (probe: { startRate: number; rateStep: number; maxRate: number }) => Math.floor((probe.maxRate - probe.startRate) / probe.rateStep) + 1;

export function serializeProbe(row: LoadProbe, model: string, version: number): LoadProbeView {
  return {
    id: row.id,
    model,
    version,
    option: row.option as ProbeOption,
    environment: row.environment,
    status: row.status,
    targetP95Ms: row.targetP95Ms,
    startRate: row.startRate,
    rateStep: row.rateStep,
    maxRate: row.maxRate,
    stepSeconds: row.stepSeconds,
    plannedSteps: plannedSteps(row),
    steps: (row.steps as ProbeStep[] | null) ?? [],
    stopReason: row.stopReason,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
