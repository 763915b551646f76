import 'server-only';
import type { Tx } from '@/lib/db';
import type { EvidenceKind, ModelVersion, Prisma, Release } from '@/lib/generated/prisma/client';
import { compareVersions } from '@/lib/server/registry/compare-versions';
import type { GateResult } from './evaluate-gates';

/**
 * Freezes what a release is being decided on — the version live in its environment now (the
 * baseline it would replace), the metric and parameter diff against it, the gate results —
 * inside the caller's transaction, so the evidence exists exactly when the request or
 * approval does. Reading a release later never recomputes this against today's live version.
 */
export async function recordEvidence(
  tx: Tx,
  options: {
    release: Pick<Release, 'id' | 'modelId' | 'environmentId'>;
    version: Pick<ModelVersion, 'metrics' | 'params'>;
    kind: EvidenceKind;
    actor: { id: string; email: string };
    gates: GateResult[];
    at: Date;
  },
): Promise<void> {
  const { release, version } = options;
  const live = await tx.release.findFirst({
    where: { modelId: release.modelId, environmentId: release.environmentId, status: 'live', slot: 'primary', id: { not: release.id } },
    select: { version: { select: { version: true, metrics: true, params: true } } },
  });
  // Without a baseline the diff is against nothing: the version's own metrics, params "added".
  const comparison = compareVersions(
    { metrics: (live?.version.metrics ?? {}) as Record<string, number>, params: (live?.version.params ?? {}) as Record<string, unknown> },
    { metrics: version.metrics as Record<string, number>, params: version.params as Record<string, unknown> },
  );
  await tx.releaseEvidence.create({
    data: {
      releaseId: release.id,
      kind: options.kind,
      takenAt: options.at,
      takenById: options.actor.id,
      takenByEmail: options.actor.email,
      baselineVersion: live?.version.version ?? null,
      metrics: toJson(comparison.metrics),
      params: toJson(comparison.params),
      gates: toJson(options.gates),
    },
  });
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
