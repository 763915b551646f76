import 'server-only';
import { db, type Tx } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { conflict, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { findEnvironmentOrThrow, findVersionOrThrow } from '@/lib/server/registry/find-model';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import type { RequestPromotionInput } from '@/lib/validation/registry';
import { evaluateGates, failedGates, type GateResult } from './evaluate-gates';
import { recordEvidence } from './record-evidence';
import { DEFAULT_SHADOW_PERCENT } from './run-shadow';

export const DEFAULT_CANARY_STEPS = [10, 50, 100];

/**
 * Asks to put version v into an environment. Gates are evaluated now (a failing gate
 * refuses the request with 422 naming the rule). Environments that need no approval
 * start the release at once; others wait in the reviewers' queue.
 */
export async function requestPromotion(ctx: RequestContext, options: { model: string; version: number; input: RequestPromotionInput }) {
  try {
    return await db().$transaction((tx) => requestPromotionInTx(tx, ctx, options));
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict(`There is already an open request for v${options.version} in ${options.input.environment}.`, 'request_open');
    }
    throw error;
  }
}

/** The request inside the caller's transaction (promoting a shadow ends it in the same one). */
export async function requestPromotionInTx(tx: Tx, ctx: RequestContext, options: { model: string; version: number; input: RequestPromotionInput }) {
  const { input } = options;
  const version = await findVersionOrThrow(options.model, options.version, tx);
  const environment = await findEnvironmentOrThrow(input.environment, tx);
  // FOR SHARE until commit: archiving the environment waits for this request (and then sees it open).
  const [locked] = await tx.$queryRaw<{ archived: boolean }[]>`SELECT "archivedAt" IS NOT NULL AS archived FROM environments WHERE id = ${environment.id}::uuid FOR SHARE`;
  if (locked?.archived) {
    throw conflict(`${environment.name} is archived; versions cannot be promoted to it.`, 'environment_archived');
  }
  if (version.status === 'archived') {
    throw unprocessable(`v${version.version} is archived; archived versions cannot be promoted.`, undefined, 'version_archived');
  }
  const live = await tx.release.findFirst({
    where: { modelId: version.modelId, environmentId: environment.id, status: 'live', slot: 'primary' },
    include: { version: { select: { version: true } } },
  });
  if (live?.versionId === version.id) {
    throw conflict(`v${version.version} is already live in ${environment.name}.`, 'already_live');
  }
  const now = ctx.at ?? new Date();
  const gates = await evaluateGates(tx, version, environment, now);
  throwIfGatesFailed(gates, 422);

  await refuseDuringProgressiveRollout(tx, version.modelId, environment.id, environment.name);
  const strategy = input.strategy ?? { type: 'replace' as const };
  const backend = await tx.environmentBackend.findUnique({ where: { environmentId: environment.id }, select: { canaryIntervalSeconds: true } });
  const autoApproved = environment.requiredApprovals === 0;
  const release = await tx.release.create({
    data: {
      modelId: version.modelId,
      versionId: version.id,
      environmentId: environment.id,
      strategy: strategy.type,
      steps: strategy.type === 'canary' ? (strategy.steps ?? DEFAULT_CANARY_STEPS) : [],
      // Frozen at the request: changing the environment's default later does not change a running canary.
      intervalSeconds: strategy.type === 'canary' ? (strategy.intervalSeconds ?? backend?.canaryIntervalSeconds ?? null) : null,
      shadowPercent: strategy.type === 'shadow' ? (strategy.percent ?? DEFAULT_SHADOW_PERCENT) : null,
      note: input.note ?? '',
      status: autoApproved ? 'approved' : 'pending_approval',
      requestedAt: now,
      approvedAt: autoApproved ? now : null,
      requestedById: ctx.actor.id,
      gates: gates as unknown as Prisma.InputJsonValue,
    },
  });
  await recordEvidence(tx, { release, version, kind: 'request', actor: ctx.actor, gates, at: now });
  const event = { releaseId: release.id, model: version.model.name, version: version.version, environment: environment.name, requestedBy: ctx.actor.email };
  await emitEvent(tx, 'promotion.requested', event);
  if (autoApproved) {
    await emitEvent(tx, 'promotion.approved', { ...event, approvals: 0 });
    await enqueue(tx, QUEUES.deployRelease, { releaseId: release.id });
  }
  await recordAudit(tx, {
    actor: ctx.actor,
    action: 'promotion.request',
    targetType: 'release',
    targetId: release.id,
    after: {
      model: version.model.name,
      version: version.version,
      environment: environment.name,
      strategy: release.strategy,
      steps: release.steps,
      intervalSeconds: release.intervalSeconds,
      shadowPercent: release.shadowPercent,
      status: release.status,
      liveVersion: live?.version.version ?? null,
    },
    requestId: ctx.requestId,
    at: ctx.at,
  });
  return { release, gates, model: version.model.name, version: version.version, environment: environment.name };
}

/** 422 at request time, 409 at approval time (the state changed since the request). */
export function throwIfGatesFailed(gates: GateResult[], status: 409 | 422): void {
  const failed = failedGates(gates);
  if (failed.length === 0) return;
  const fieldErrors = Object.fromEntries(failed.map((g) => [g.gate, [g.detail]]));
  const message = `Promotion gate${failed.length > 1 ? 's' : ''} failed: ${failed.map((g) => `${g.gate} (${g.detail})`).join('; ')}`;
  if (status === 422) throw unprocessable(message, fieldErrors, 'gate_failed');
  throw conflict(message, 'gate_failed');
}

/**
 * A running canary or shadow owns the lane's traffic split until it ends: another release (or
 * a rollback) switching traffic underneath it would be undone by its next step. 409 until it
 * is promoted, aborted or stopped.
 */
export async function refuseDuringProgressiveRollout(tx: Tx, modelId: string, environmentId: string, environmentName: string) {
  const running = await tx.release.findFirst({
    where: { modelId, environmentId, strategy: { in: ['canary', 'shadow'] }, status: { in: ['approved', 'deploying', 'paused'] } },
    include: { version: { select: { version: true } } },
  });
  if (running) {
    throw conflict(
      `A ${running.strategy} of v${running.version.version} is running in ${environmentName}; promote, abort or stop it first.`,
      'rollout_in_progress',
    );
  }
}
