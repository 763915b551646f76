import 'server-only';
import type { Tx } from '@/lib/db';
import type { Environment, ModelVersion } from '@/lib/generated/prisma/client';
import { ZMetricGate, type MetricGate } from '@/lib/validation/registry';
import { z } from 'zod';
import { DRIFT_SIGNAL_TYPES } from '@/lib/server/alerts/describe-signal';

export interface GateResult {
  /** Stable rule name, used in 422/409 codes: previous_environment, soak_time, metric:<name>, drift_alert. */
  gate: string;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
  actual?: number | null;
  expected?: number | null;
  /** drift_alert: the open alerts that block, for links in the UI. */
  alerts?: { id: string; name: string; status: string }[];
}

/** Pure rule for one metric gate: candidate vs the live version, within the tolerance. */
export function checkMetricGate(gate: MetricGate, candidate: number | undefined, live: number | undefined): GateResult {
  const name = `metric:${gate.metric}`;
  if (live === undefined) {
    return { gate: name, status: 'passed', detail: `No live version reports ${gate.metric}; nothing to compare with.`, actual: candidate ?? null };
  }
  if (candidate === undefined) {
    return { gate: name, status: 'failed', detail: `This version reports no ${gate.metric}.`, actual: null, expected: live };
  }
  const bound = gate.comparator === '>=' ? live - gate.tolerance : live + gate.tolerance;
  const ok = gate.comparator === '>=' ? candidate >= bound : candidate <= bound;
  const rule = `${gate.metric} ${gate.comparator} live ${gate.comparator === '>=' ? '-' : '+'} ${gate.tolerance} = ${round(bound)}`;
  return { gate: name, status: ok ? 'passed' : 'failed', detail: `${round(candidate)} vs ${rule}`, actual: candidate, expected: bound };
}

/**
 * Evaluates an environment's rules for promoting a version, with the numbers behind each
 * result. Called at request time and again at approval time.
 */
export async function evaluateGates(tx: Tx, version: ModelVersion, environment: Environment, now = new Date()): Promise<GateResult[]> {
  const results: GateResult[] = [];
  const previous = await tx.environment.findFirst({
    where: { position: { lt: environment.position }, archivedAt: null },
    orderBy: { position: 'desc' },
  });
  const previousReleases = previous
    ? await tx.release.findMany({ where: { versionId: version.id, environmentId: previous.id, liveAt: { not: null } } })
    : [];

  if (environment.requirePreviousEnvironment && previous) {
    results.push(
      previousReleases.length > 0
        ? { gate: 'previous_environment', status: 'passed', detail: `v${version.version} has been live in ${previous.name}.` }
        : { gate: 'previous_environment', status: 'failed', detail: `v${version.version} has never been live in ${previous.name}.` },
    );
  }

  if (environment.soakGateEnabled && previous) {
    const soakedMinutes = Math.max(
      0,
      ...previousReleases.map((r) => ((r.endedAt ?? now).getTime() - r.liveAt!.getTime()) / 60_000),
    );
    results.push({
      gate: 'soak_time',
      status: soakedMinutes >= environment.minSoakMinutes ? 'passed' : 'failed',
      detail: `Live in ${previous.name} for ${Math.floor(soakedMinutes)} min; ${environment.minSoakMinutes} min required.`,
      actual: Math.floor(soakedMinutes),
      expected: environment.minSoakMinutes,
    });
  }

  const gates = z.array(ZMetricGate).catch([]).parse(environment.metricGates).filter((g) => g.enabled);
  if (gates.length > 0) {
    const live = await tx.release.findFirst({
      where: { modelId: version.modelId, environmentId: environment.id, status: 'live', slot: 'primary' },
      include: { version: { select: { metrics: true } } },
    });
    const candidateMetrics = version.metrics as Record<string, number>;
    const liveMetrics = (live?.version.metrics ?? {}) as Record<string, number>;
    for (const gate of gates) results.push(checkMetricGate(gate, candidateMetrics[gate.metric], liveMetrics[gate.metric]));
  }

  if (environment.blockOnOpenDriftAlert) results.push(await checkDriftAlertGate(tx, version.modelId, environment, previous));
  return results;
}

/**
 * An open (firing or acknowledged) drift alert for the model in the target environment or the
 * one promoted from fails the gate; the detail names the alerts and `alerts` links them.
 */
async function checkDriftAlertGate(tx: Tx, modelId: string, environment: Environment, previous: Environment | null): Promise<GateResult> {
  const environmentIds = previous ? [environment.id, previous.id] : [environment.id];
  const open = await tx.alert.findMany({
    where: { modelId, environmentId: { in: environmentIds }, status: { in: ['firing', 'acknowledged'] } },
    include: { rule: { select: { name: true, signal: true, environmentId: true } } },
    orderBy: { firedAt: 'asc' },
  });
  const drift = open.filter((alert) => (DRIFT_SIGNAL_TYPES as readonly string[]).includes((alert.rule.signal as { type?: string }).type ?? ''));
  if (drift.length === 0) {
    return { gate: 'drift_alert', status: 'passed', detail: `No open drift alert for this model in ${[previous?.name, environment.name].filter(Boolean).join(' or ')}.` };
  }
  const names = drift.map((alert) => `"${alert.rule.name}" (${alert.status} since ${alert.firedAt.toISOString()})`);
  return {
    gate: 'drift_alert',
    status: 'failed',
    detail: `Open drift alert${drift.length > 1 ? 's' : ''}: ${names.join(', ')}. Resolve ${drift.length > 1 ? 'them' : 'it'} before promoting.`,
    alerts: drift.map((alert) => ({ id: alert.id, name: alert.rule.name, status: alert.status })),
  };
}

export function failedGates(results: GateResult[]): GateResult[] {
  return results.filter((r) => r.status === 'failed');
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
