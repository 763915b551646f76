import 'server-only';
import { db } from '@/lib/db';
import { sealSecret } from '@/lib/crypto/secret-box';
import type { Prisma } from '@/lib/generated/prisma/client';
import { conflict, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { findEnvironmentOrThrow } from '@/lib/server/registry/find-model';
import type { EnvironmentBackendInput } from '@/lib/validation/deployments';
import { BACKEND_TYPES, backendDefinition, isBackendType, parseBackendConfig } from './backends';
import { backendSecretContext, serializeEnvironmentBackend } from './environment-backend';

/**
 * Sets where an environment's releases run (admins). The secret is sealed before it reaches
 * the database and the audit log records only whether it was set, kept or removed. Refused
 * (409) while a release is deploying there: the job would switch clients halfway.
 */
export async function configureEnvironmentBackend(ctx: RequestContext, name: string, input: EnvironmentBackendInput) {
  if (!isBackendType(input.type)) {
    throw unprocessable(`Unknown backend type "${input.type}"; choose one of: ${BACKEND_TYPES.join(', ')}.`, {
      type: [`Choose one of: ${BACKEND_TYPES.join(', ')}.`],
    });
  }
  const type = input.type;
  const config = parseBackendConfig(type, input.config);
  if (!config.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of config.error.issues) (fieldErrors[['config', ...issue.path].join('.')] ??= []).push(issue.message);
    throw unprocessable(`The ${backendDefinition(type).label} settings are invalid: ${config.error.issues.map((i) => i.message).join(' ')}`, fieldErrors);
  }

  return db().$transaction(async (tx) => {
    const environment = await findEnvironmentOrThrow(name, tx);
    await tx.$queryRaw`SELECT id FROM environments WHERE id = ${environment.id}::uuid FOR UPDATE`;
    await refuseWhileDeploying(tx, environment.id, environment.name);
    const before = await tx.environmentBackend.findUnique({ where: { environmentId: environment.id } });
    const secretSealed =
      input.secret === undefined ? (before?.type === type ? before.secretSealed : null) : input.secret === null ? null : sealSecret(input.secret, backendSecretContext(environment.id));
    if (backendDefinition(type).secretRequired && secretSealed === null) {
      throw unprocessable(`The ${backendDefinition(type).label} needs ${backendDefinition(type).secretLabel}.`, { secret: ['Required.'] });
    }
    const canary = {
      ...(input.canary?.intervalSeconds !== undefined ? { canaryIntervalSeconds: input.canary.intervalSeconds } : {}),
      ...(input.canary?.maxErrorRateIncrease !== undefined ? { canaryMaxErrorRateIncrease: input.canary.maxErrorRateIncrease } : {}),
      ...(input.canary?.maxLatencyRatio !== undefined ? { canaryMaxLatencyRatio: input.canary.maxLatencyRatio } : {}),
      ...(input.canary?.minRequests !== undefined ? { canaryMinRequests: input.canary.minRequests } : {}),
    };
    const data = { type, config: config.data as Prisma.InputJsonValue, secretSealed, updatedById: ctx.actor.id, ...canary };
    const after = await tx.environmentBackend.upsert({
      where: { environmentId: environment.id },
      create: { environmentId: environment.id, ...data },
      update: data,
    });
    const secretChange = input.secret === undefined ? (secretSealed ? 'kept' : 'none') : input.secret === null ? 'removed' : 'replaced';
    const view = (row: typeof after) => {
      const { hasSecret, updatedAt: _updatedAt, ...rest } = serializeEnvironmentBackend(row, environment.name);
      return { ...rest, secret: hasSecret ? 'set' : 'none' };
    };
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'environment.backend.configure',
      targetType: 'environment',
      targetId: environment.name,
      before: before ? view(before) : { type: null },
      after: { ...view(after), secretChange },
      requestId: ctx.requestId,
    });
    return serializeEnvironmentBackend(after, environment.name);
  });
}

/** Removes an environment's backend: going live becomes a registry alias again. */
export async function removeEnvironmentBackend(ctx: RequestContext, name: string) {
  return db().$transaction(async (tx) => {
    const environment = await findEnvironmentOrThrow(name, tx);
    await tx.$queryRaw`SELECT id FROM environments WHERE id = ${environment.id}::uuid FOR UPDATE`;
    await refuseWhileDeploying(tx, environment.id, environment.name);
    const before = await tx.environmentBackend.findUnique({ where: { environmentId: environment.id } });
    if (!before) return { removed: false };
    await tx.environmentBackend.delete({ where: { environmentId: environment.id } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'environment.backend.remove',
      targetType: 'environment',
      targetId: environment.name,
      before: { type: before.type, config: before.config },
      after: { type: null },
      requestId: ctx.requestId,
    });
    return { removed: true };
  });
}

async function refuseWhileDeploying(tx: Prisma.TransactionClient, environmentId: string, name: string) {
  // A paused canary still splits traffic on this backend.
  const deploying = await tx.release.count({ where: { environmentId, status: { in: ['deploying', 'paused'] } } });
  if (deploying > 0) {
    throw conflict(`A release is deploying in ${name}; change its backend once the rollout has finished.`, 'rollout_in_progress');
  }
}
