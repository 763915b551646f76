import 'server-only';
import { db } from '@/lib/db';
import type { RetrainingRequestView } from '@/lib/validation/retraining';

/** Retraining requests, newest first, of one model or one alert (at most 50). */
export async function listRetrainingRequests(options: { model?: string; alertId?: string }): Promise<RetrainingRequestView[]> {
  const rows = await db().retrainingRequest.findMany({
    where: { ...(options.model ? { model: { name: options.model } } : {}), ...(options.alertId ? { alertId: options.alertId } : {}) },
    orderBy: { createdAt: 'desc' },
    take: 50,
    include: { model: { select: { name: true } } },
  });
  const versionIds = rows.flatMap((row) => [row.versionId, row.completedVersionId]).filter((id): id is string => id !== null);
  const [versions, environments] = await Promise.all([
    versionIds.length > 0 ? db().modelVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, version: true } }) : [],
    db().environment.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.environmentId))] } }, select: { id: true, name: true } }),
  ]);
  const versionOf = (id: string | null) => versions.find((v) => v.id === id)?.version ?? null;
  return rows.map((row) => ({
    id: row.id,
    model: row.model.name,
    environment: environments.find((e) => e.id === row.environmentId)?.name ?? '',
    liveVersion: versionOf(row.versionId),
    alertId: row.alertId,
    status: row.status as RetrainingRequestView['status'],
    attempts: row.attempts,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    pipelineRunId: row.pipelineRunId,
    completedAt: row.completedAt?.toISOString() ?? null,
    completedVersion: versionOf(row.completedVersionId),
    createdAt: row.createdAt.toISOString(),
  }));
}
