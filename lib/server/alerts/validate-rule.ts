import 'server-only';
import type { Tx } from '@/lib/db';
import { unprocessable } from '@/lib/errors';
import type { Model } from '@/lib/generated/prisma/client';
import { CLASSIFICATION_METRICS, REGRESSION_METRICS, STATISTICS_BY_TYPE, type Signal } from '@/lib/validation/alerts';

/** The model, active environment and optional version a rule (or a draft) names; 422 naming the field. */
export async function resolveRuleTargetOrThrow(tx: Tx, input: { model: string; environment: string; version?: number | undefined }) {
  const model = await tx.model.findUnique({ where: { name: input.model } });
  if (!model) throw unprocessable(`No model named "${input.model}".`, { model: ['Unknown model.'] });
  const environment = await tx.environment.findUnique({ where: { name: input.environment } });
  if (!environment || environment.archivedAt) {
    throw unprocessable(`No active environment named "${input.environment}".`, { environment: ['Unknown environment.'] });
  }
  let versionId: string | null = null;
  if (input.version !== undefined) {
    const version = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: input.version } } });
    if (!version) throw unprocessable(`${model.name} has no version ${input.version}.`, { version: ['Unknown version.'] });
    versionId = version.id;
  }
  return { model, environment, versionId };
}

/**
 * Checks what the schema cannot: the signal fits the model (the feature is in the version's
 * schema, the metric fits the model's task) and every channel exists. 422 naming the field.
 */
export async function assertRuleFitsOrThrow(
  tx: Tx,
  options: { model: Model; versionId: string | null; signal: Signal; channelIds: string[] },
): Promise<void> {
  const { model, signal } = options;
  if (signal.type === 'feature_drift') {
    // The chosen version's schema, else the newest version's (what will most likely be live next).
    const version = options.versionId
      ? await tx.modelVersion.findUnique({ where: { id: options.versionId }, select: { version: true, features: true } })
      : await tx.modelVersion.findFirst({ where: { modelId: model.id }, orderBy: { version: 'desc' }, select: { version: true, features: true } });
    const declared = Array.isArray(version?.features) ? (version.features as { name?: unknown; type?: unknown }[]) : [];
    const features = declared.map((f) => String(f.name));
    if (!features.includes(signal.feature)) {
      const known = features.length > 0 ? ` Known features: ${features.slice(0, 20).join(', ')}.` : ' That version declares no features.';
      throw unprocessable(`Feature "${signal.feature}" is not in the schema of ${model.name} v${version?.version ?? '?'}.${known}`, {
        'signal.feature': [`Not a feature of ${model.name}.`],
      });
    }
    const type = declared.find((f) => String(f.name) === signal.feature)?.type === 'categorical' ? 'categorical' : 'numeric';
    const allowed = STATISTICS_BY_TYPE[type];
    if (signal.statistic !== undefined && !allowed.includes(signal.statistic)) {
      throw unprocessable(`${signal.statistic} does not apply to ${signal.feature}, a ${type} feature. Choose from: ${allowed.join(', ')}.`, {
        'signal.statistic': [`Not a statistic for ${type} features.`],
      });
    }
  }
  if (signal.type === 'performance') {
    const fits =
      model.task === 'classification'
        ? (CLASSIFICATION_METRICS as readonly string[]).includes(signal.metric)
        : model.task === 'regression'
          ? (REGRESSION_METRICS as readonly string[]).includes(signal.metric)
          : true;
    if (!fits) {
      const allowed = model.task === 'classification' ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
      throw unprocessable(`${signal.metric} does not apply to ${model.name}, a ${model.task} model. Choose from: ${allowed.join(', ')}.`, {
        'signal.metric': [`Not a ${model.task} metric.`],
      });
    }
  }
  if (options.channelIds.length > 0) {
    const found = await tx.alertChannel.findMany({ where: { id: { in: options.channelIds } }, select: { id: true } });
    const missing = options.channelIds.filter((id) => !found.some((channel) => channel.id === id));
    if (missing.length > 0) throw unprocessable(`Unknown channel ${missing.join(', ')}.`, { channels: ['Choose channels that exist (Admin → Channels).'] });
  }
}
