import 'server-only';
import { db } from '@/lib/db';
import { conflict } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { findVersionOrThrow } from './find-model';

/** Archives a version: kept for history and lineage, but no longer promotable. Live versions cannot be archived. */
export async function archiveVersion(ctx: RequestContext, model: string, version: number) {
  return db().$transaction(async (tx) => {
    const found = await findVersionOrThrow(model, version, tx);
    await tx.$queryRaw`SELECT id FROM model_versions WHERE id = ${found.id}::uuid FOR UPDATE`;
    const busy = await tx.release.findFirst({
      where: { versionId: found.id, status: { in: ['live', 'pending_approval', 'approved', 'deploying', 'paused'] } },
      include: { environment: { select: { name: true } } },
    });
    if (busy) {
      throw conflict(`v${version} is ${busy.status === 'live' ? 'live' : 'being released'} in ${busy.environment.name}; it cannot be archived.`, 'version_in_use');
    }
    if (found.status === 'archived') throw conflict(`v${version} is already archived.`, 'already_archived');
    const updated = await tx.modelVersion.update({ where: { id: found.id }, data: { status: 'archived' }, include: { model: true } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'version.archive',
      targetType: 'model_version',
      targetId: `${model}@${version}`,
      before: { status: found.status },
      after: { status: 'archived' },
      requestId: ctx.requestId,
    });
    return updated;
  });
}
