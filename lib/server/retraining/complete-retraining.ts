import 'server-only';
import type { Tx } from '@/lib/db';

/**
 * Called when a version is registered with a parent: the newest open retraining request of the
 * model that was made while the parent was live is completed by it. In the registration's
 * transaction, so a version and the link to the request it answers commit together.
 */
export async function completeRetrainingByVersion(tx: Tx, options: { modelId: string; parentVersionId: string; versionId: string; now?: Date }) {
  const [open] = await tx.$queryRaw<{ id: string; alertId: string | null }[]>`
    SELECT id, "alertId" FROM retraining_requests
    WHERE "modelId" = ${options.modelId}::uuid AND "versionId" = ${options.parentVersionId}::uuid AND status IN ('requested', 'acknowledged')
    ORDER BY "createdAt" DESC LIMIT 1 FOR UPDATE`;
  if (!open) return null;
  const now = options.now ?? new Date();
  await tx.retrainingRequest.update({ where: { id: open.id }, data: { status: 'completed', completedAt: now, completedVersionId: options.versionId } });
  if (open.alertId) {
    const version = await tx.modelVersion.findUniqueOrThrow({ where: { id: options.versionId }, select: { version: true } });
    await tx.alertEvent.create({ data: { alertId: open.alertId, kind: 'retraining_completed', at: now, detail: { requestId: open.id, version: version.version } } });
  }
  return open.id;
}
