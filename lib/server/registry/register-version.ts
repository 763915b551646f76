import 'server-only';
import { completeRetrainingByVersion } from '@/lib/server/retraining/complete-retraining';
import { db } from '@/lib/db';
import { unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import type { RegisterVersionInput } from '@/lib/validation/registry';
import { findModelOrThrow } from './find-model';

/**
 * Registers the next version of a model. Numbers are 1, 2, 3… per model with no gaps or
 * duplicates under concurrency: the model row's counter is incremented in the same
 * transaction (the UPDATE row lock orders concurrent registrations).
 */
export async function registerVersion(ctx: RequestContext, modelName: string, input: RegisterVersionInput) {
  return db().$transaction(async (tx) => {
    const model = await findModelOrThrow(modelName, tx);
    const parent = input.parentVersion
      ? await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: input.parentVersion } } })
      : null;
    if (input.parentVersion && !parent) {
      throw unprocessable(`parentVersion ${input.parentVersion} does not exist for "${modelName}".`, {
        parentVersion: [`Model "${modelName}" has no version ${input.parentVersion}.`],
      });
    }
    const { lastVersion } = await tx.model.update({ where: { id: model.id }, data: { lastVersion: { increment: 1 } } });
    const version = await tx.modelVersion.create({
      data: {
        modelId: model.id,
        version: lastVersion,
        format: input.format ?? null,
        artifactUri: input.artifactUri ?? null,
        artifactSha256: input.artifactSha256 ?? null,
        metrics: input.metrics ?? {},
        params: input.params ?? {},
        gitCommit: input.gitCommit?.toLowerCase() ?? null,
        dataset: input.dataset ?? null,
        features: input.features ?? [],
        modelCard: input.modelCard ?? '',
        parentVersionId: parent?.id ?? null,
        createdById: ctx.actor.id,
        ...(ctx.at ? { createdAt: ctx.at } : {}),
      },
    });
    await emitEvent(tx, 'version.registered', { model: model.name, version: version.version, registeredBy: ctx.actor.email });
    // A version trained from the live one answers the retraining request made while it was live.
    if (parent) await completeRetrainingByVersion(tx, { modelId: model.id, parentVersionId: parent.id, versionId: version.id });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'version.register',
      targetType: 'model_version',
      targetId: `${model.name}@${version.version}`,
      after: {
        version: version.version,
        format: version.format,
        artifactUri: version.artifactUri,
        metrics: version.metrics,
        gitCommit: version.gitCommit,
        parentVersion: input.parentVersion ?? null,
      },
      requestId: ctx.requestId,
      at: ctx.at,
    });
    return { ...version, model };
  });
}
