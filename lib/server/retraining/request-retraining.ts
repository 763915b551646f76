import 'server-only';
import { db, type Tx } from '@/lib/db';
import { conflict, notFound, unprocessable } from '@/lib/errors';
import { alertUrl } from '@/lib/server/alerts/alert-url';
import { describeSignal } from '@/lib/server/alerts/describe-signal';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { logger } from '@/lib/server/logger';
import { getDrift } from '@/lib/server/monitoring/get-drift';
import { DRIFT_SIGNAL_TYPES } from '@/lib/server/alerts/describe-signal';
import type { Signal } from '@/lib/validation/alerts';

export type RetrainingOutcome = { status: 'requested'; requestId: string } | { status: 'not_configured' } | { status: 'exists'; requestId: string };

/**
 * Records a retraining request for an alert and queues its signed delivery, in the caller's
 * transaction (outbox). The event names the model, the version live in the alert's environment
 * (the parent the pipeline's new version should name), the alert, the drift evidence over the
 * current window, and the reference and current time windows. One request per alert.
 */
export async function requestRetrainingInTx(
  tx: Tx,
  options: { alertId: string; actor: { id: string; email: string } | null; requestId?: string; comment?: string; now?: Date },
): Promise<RetrainingOutcome> {
  const now = options.now ?? new Date();
  const alert = await tx.alert.findUniqueOrThrow({ where: { id: options.alertId }, include: { rule: true, retraining: { select: { id: true } } } });
  if (alert.retraining) return { status: 'exists', requestId: alert.retraining.id };
  const environment = await tx.environment.findUniqueOrThrow({ where: { id: alert.environmentId } });
  if (!environment.retrainingWebhookUrl) return { status: 'not_configured' };
  const model = await tx.model.findUniqueOrThrow({ where: { id: alert.modelId }, select: { id: true, name: true } });
  // Read in the caller's transaction: no second connection while it holds one.
  const liveRelease = await tx.release.findFirst({
    where: { modelId: model.id, environmentId: environment.id, strategy: { not: 'shadow' }, liveAt: { lte: now }, OR: [{ endedAt: null }, { endedAt: { gt: now } }] },
    orderBy: { liveAt: 'asc' },
    select: { versionId: true },
  });
  const liveVersionId = liveRelease?.versionId ?? null;
  const live = liveVersionId
    ? await tx.modelVersion.findUnique({ where: { id: liveVersionId }, select: { id: true, version: true, reference: { select: { rows: true, createdAt: true } } } })
    : null;
  const signal = alert.rule.signal as Signal;
  const current = { from: new Date(alert.firedAt.getTime() - alert.rule.windowMinutes * 60_000).toISOString(), to: alert.firedAt.toISOString() };
  const request = await tx.retrainingRequest.create({
    data: {
      modelId: model.id,
      environmentId: environment.id,
      versionId: live?.id ?? null,
      alertId: alert.id,
      requestedById: options.actor?.id ?? null,
      payload: {},
    },
  });
  const payload = {
    event: 'retraining.requested',
    id: request.id,
    occurredAt: now.toISOString(),
    requestedBy: options.actor?.email ?? 'rule',
    ...(options.comment ? { comment: options.comment } : {}),
    model: model.name,
    environment: environment.name,
    liveVersion: live?.version ?? null,
    alert: {
      id: alert.id,
      url: alertUrl(alert.id),
      rule: alert.rule.name,
      signal: describeSignal(signal),
      signalType: signal.type,
      severity: alert.severity,
      value: alert.value,
      comparator: alert.rule.comparator,
      threshold: alert.threshold,
      samples: alert.samples,
      firedAt: alert.firedAt.toISOString(),
    },
    // Filled in by the delivery job, outside this transaction (it reads the rollups).
    evidence: null,
    windows: {
      reference: live?.reference ? { kind: 'reference_upload', version: live.version, rows: live.reference.rows, uploadedAt: live.reference.createdAt.toISOString() } : null,
      current,
    },
    callback: {
      url: `${alertUrl(null).replace(/\/alerts$/, '')}/api/v1/retraining-requests/${request.id}/callback`,
      body: { status: 'acknowledged', runId: '<your run id>' },
      signature: 'x-modeldeck-signature over the body with the shared secret',
    },
    completion: live ? `Register the new version of ${model.name} with "parentVersion": ${live.version}.` : `Register the new version of ${model.name}.`,
  };
  await tx.retrainingRequest.update({ where: { id: request.id }, data: { payload: JSON.parse(JSON.stringify(payload)) } });
  await enqueue(tx, QUEUES.deliverRetraining, { requestId: request.id });
  await tx.alertEvent.create({
    data: {
      alertId: alert.id,
      kind: 'retraining_requested',
      at: now,
      actorId: options.actor?.id ?? null,
      ...(options.comment ? { comment: options.comment } : {}),
      detail: { requestId: request.id, liveVersion: live?.version ?? null, by: options.actor ? 'person' : 'rule' },
    },
  });
  await recordAudit(tx, {
    actor: options.actor,
    action: 'retraining.request',
    targetType: 'retraining_request',
    targetId: request.id,
    after: { model: model.name, environment: environment.name, alertId: alert.id, liveVersion: live?.version ?? null, by: options.actor ? 'person' : 'rule' },
    requestId: options.requestId ?? null,
  });
  return { status: 'requested', requestId: request.id };
}

/** The drift report over the alert's current window for drift alerts; the measured value otherwise. */
export async function driftEvidence(model: string, environment: string, version: number | undefined, signalType: string, window: { from: string; to: string }) {
  if (!(DRIFT_SIGNAL_TYPES as readonly string[]).includes(signalType)) return { signal: signalType, note: 'Not a drift signal: the alert\'s value is the evidence.' };
  try {
    // A window shorter than the hourly rollups reads the whole hour it falls in.
    const report = await getDrift(model, { environment, ...(version !== undefined ? { version } : {}), from: window.from, to: window.to });
    return { signal: signalType, ...JSON.parse(JSON.stringify(report)) };
  } catch (error) {
    logger().warn({ err: error, model }, 'drift evidence for a retraining request failed');
    return { signal: signalType, error: error instanceof Error ? error.message : String(error) };
  }
}

/** An engineer's button on an alert: 422 when the environment has no pipeline, 409 when already requested. */
export async function requestRetraining(ctx: RequestContext, alertId: string, comment?: string) {
  const outcome = await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alerts WHERE id = ${alertId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound(`Alert ${alertId} not found.`);
    return requestRetrainingInTx(tx, { alertId, actor: ctx.actor, requestId: ctx.requestId, ...(comment ? { comment } : {}) });
  });
  if (outcome.status === 'not_configured') {
    throw unprocessable("This alert's environment has no training pipeline webhook. An admin sets it under Admin → Environments.", {
      environment: ['No retraining webhook configured.'],
    });
  }
  if (outcome.status === 'exists') throw conflict(`Retraining was already requested for this alert (request ${outcome.requestId}).`, 'retraining_exists');
  return outcome.requestId;
}
