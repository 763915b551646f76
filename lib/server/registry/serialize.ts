import type { Model, ModelVersion } from '@/lib/generated/prisma/client';

export function serializeModel(model: Model) {
  return {
    name: model.name,
    description: model.description,
    task: model.task,
    team: model.team,
    tags: model.tags,
    createdAt: model.createdAt.toISOString(),
    latestVersion: model.lastVersion || null,
  };
}

export function serializeVersion(version: ModelVersion & { model: Model }, parentVersion: number | null = null) {
  return {
    model: version.model.name,
    version: version.version,
    status: version.status,
    format: version.format,
    artifact: {
      uri: version.artifactUri,
      sha256: version.artifactSha256,
      size: version.artifactSize === null ? null : Number(version.artifactSize),
      stored: version.artifactKey !== null,
    },
    metrics: version.metrics as Record<string, number>,
    params: version.params as Record<string, unknown>,
    gitCommit: version.gitCommit,
    dataset: version.dataset,
    features: version.features as { name: string; type: 'numeric' | 'categorical' }[],
    modelCard: version.modelCard,
    parentVersion,
    createdAt: version.createdAt.toISOString(),
  };
}
