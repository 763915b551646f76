import 'server-only';
import { db, type Tx } from '@/lib/db';
import type { Alert, AlertRule } from '@/lib/generated/prisma/client';
import { logger } from '@/lib/server/logger';
import { breaches } from './compare';
import { requestRetrainingInTx } from '@/lib/server/retraining/request-retraining';
import { notifyChannels } from './notify-channels';
import { conditionOf, signalFor } from './signals';
import type { Measurement } from './signals/types';

export interface EvaluationSummary {
  evaluated: number;
  fired: number;
  resolved: number;
}

/**
 * The `alert-evaluate` job. Each rule is evaluated in its own transaction holding the rule's
 * row lock, so two evaluators never decide for the same rule at once, and a run killed midway
 * leaves every rule either fully evaluated (alert, timeline, notifications committed together)
 * or untouched for the next run.
 */
export async function evaluateAlerts(options: { now?: Date; ruleIds?: string[]; modelId?: string; environmentId?: string } = {}): Promise<EvaluationSummary> {
  const now = options.now ?? new Date();
  const rules = await db().alertRule.findMany({
    where: {
      enabled: true,
      OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }],
      ...(options.ruleIds ? { id: { in: options.ruleIds } } : {}),
      // After ingestion: only the rules on the series that received data.
      ...(options.modelId ? { modelId: options.modelId } : {}),
      ...(options.environmentId ? { environmentId: options.environmentId } : {}),
    },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
  });
  const summary: EvaluationSummary = { evaluated: 0, fired: 0, resolved: 0 };
  for (const { id } of rules) {
    try {
      const outcome = await evaluateRule(id, now);
      if (!outcome) continue;
      summary.evaluated += 1;
      summary.fired += outcome.fired;
      summary.resolved += outcome.resolved;
    } catch (error) {
      // One broken rule must not stop the others; the next run tries it again.
      logger().error({ err: error, ruleId: id }, 'alert rule evaluation failed');
    }
  }
  return summary;
}

async function evaluateRule(ruleId: string, now: Date): Promise<{ fired: number; resolved: number } | null> {
  const preview = await db().alertRule.findUnique({ where: { id: ruleId } });
  if (!preview) return null;
  const signal = signalFor((preview.signal as { type: string }).type);
  if (!signal) return null;
  const measurements = await signal.measure(preview, { from: new Date(now.getTime() - preview.windowMinutes * 60_000), to: now });
  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alert_rules WHERE id = ${ruleId}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    const rule = await tx.alertRule.findUniqueOrThrow({ where: { id: ruleId } });
    // The rule may have changed while it was measured; a changed rule is measured next run.
    if (rule.updatedAt.getTime() !== preview.updatedAt.getTime() || !rule.enabled) return null;
    const names = await namesOf(tx, rule);
    const open = await tx.alert.findMany({ where: { ruleId, status: { in: ['firing', 'acknowledged'] } } });
    const openBySeries = new Map(open.map((alert) => [alert.seriesKey, alert]));
    const condition = conditionOf(rule);
    let fired = 0;
    let resolved = 0;
    for (const measurement of measurements) {
      // Too little data says nothing either way: neither fire nor resolve.
      if (measurement.samples < rule.minSamples || !Number.isFinite(measurement.value)) continue;
      const existing = openBySeries.get(measurement.seriesKey);
      const breach = breaches(measurement.value, condition.comparator, condition.threshold);
      // A breach its significance test does not back is noise of a small sample: nothing either way.
      if (breach && measurement.significant === false) continue;
      if (breach) {
        if (existing) await keepOpen(tx, existing, measurement, now);
        else if (await fire(tx, { ...rule, ...condition }, measurement, now, names)) fired += 1;
      } else if (existing && (await clear(tx, { ...rule, ...condition }, existing, measurement, now, names))) {
        resolved += 1;
      }
    }
    return { fired, resolved };
  });
}

async function namesOf(tx: Tx, rule: AlertRule) {
  const [model, environment] = await Promise.all([
    tx.model.findUniqueOrThrow({ where: { id: rule.modelId }, select: { name: true } }),
    tx.environment.findUniqueOrThrow({ where: { id: rule.environmentId }, select: { name: true } }),
  ]);
  return { model: model.name, environment: environment.name };
}

async function keepOpen(tx: Tx, alert: Alert, measurement: Measurement, now: Date) {
  await tx.alert.update({
    where: { id: alert.id },
    data: { value: measurement.value, samples: measurement.samples, lastEvaluatedAt: now, clearSince: null },
  });
}

async function fire(tx: Tx, rule: AlertRule, measurement: Measurement, now: Date, names: { model: string; environment: string }) {
  // The partial unique index (one open alert per rule and series) is the last word.
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO alerts (id, "ruleId", "seriesKey", status, severity, "modelId", "environmentId", value, threshold, samples, "firedAt", "lastEvaluatedAt")
    VALUES (gen_random_uuid(), ${rule.id}::uuid, ${measurement.seriesKey}, 'firing', ${rule.severity}, ${rule.modelId}::uuid, ${rule.environmentId}::uuid,
            ${measurement.value}, ${rule.threshold}, ${measurement.samples}, ${now}, ${now})
    ON CONFLICT ("ruleId", "seriesKey") WHERE status IN ('firing', 'acknowledged') DO NOTHING
    RETURNING id`;
  const id = inserted[0]?.id;
  if (!id) return false;
  const alert = await tx.alert.findUniqueOrThrow({ where: { id } });
  await tx.alertEvent.create({
    data: {
      alertId: id,
      kind: 'fired',
      at: now,
      detail: { value: measurement.value, comparator: rule.comparator, threshold: rule.threshold, samples: measurement.samples, windowMinutes: rule.windowMinutes },
    },
  });
  await notifyChannels(tx, { alert, rule, event: 'alert.firing', names });
  if (rule.actions.includes('request_retraining')) {
    const outcome = await requestRetrainingInTx(tx, { alertId: id, actor: null, now });
    if (outcome.status === 'not_configured') {
      await tx.alertEvent.create({
        data: { alertId: id, kind: 'retraining_skipped', at: now, detail: { reason: `${names.environment} has no retraining webhook (Admin → Environments).` } },
      });
    }
  }
  return true;
}

/** The condition is clear: resolve once it has stayed clear for a full window. */
async function clear(tx: Tx, rule: AlertRule, alert: Alert, measurement: Measurement, now: Date, names: { model: string; environment: string }) {
  const clearSince = alert.clearSince ?? now;
  if (now.getTime() - clearSince.getTime() < rule.windowMinutes * 60_000) {
    await tx.alert.update({
      where: { id: alert.id },
      data: { value: measurement.value, samples: measurement.samples, lastEvaluatedAt: now, clearSince },
    });
    return false;
  }
  const updated = await tx.alert.update({
    where: { id: alert.id },
    data: { status: 'resolved', value: measurement.value, samples: measurement.samples, lastEvaluatedAt: now, resolvedAt: now, resolvedReason: 'auto' },
  });
  await tx.alertEvent.create({
    data: {
      alertId: alert.id,
      kind: 'resolved',
      at: now,
      detail: { how: 'auto', value: measurement.value, threshold: rule.threshold, clearSince: clearSince.toISOString() },
    },
  });
  await notifyChannels(tx, { alert: updated, rule, event: 'alert.resolved', names });
  return true;
}
