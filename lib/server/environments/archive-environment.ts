import 'server-only';
import { db } from '@/lib/db';
import { conflict, notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';

const OPEN = ['pending_approval', 'approved', 'deploying', 'paused'] as const;

/**
 * Archives (`archived: true`) or brings back an environment (admins). Archived, it is no
 * longer a promotion target, a lane on model pages or anyone's "previous environment"; its
 * releases and audit entries stay readable, and it keeps its place in the order. Archiving
 * waits for open promotion requests to be decided first (409 environment_busy): they would
 * otherwise go live somewhere nobody can see. The row lock pairs with the FOR SHARE lock a
 * promotion request takes, so a request and an archive never both succeed unaware of each other.
 * Setting the state it already has changes nothing and writes no audit entry.
 */
export async function setEnvironmentArchived(ctx: RequestContext, name: string, archived: boolean) {
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM environments WHERE name = ${name} FOR UPDATE`;
    const before = await tx.environment.findUnique({ where: { name } });
    if (!before) throw notFound(`Environment "${name}" not found.`);
    if (Boolean(before.archivedAt) === archived) return before;
    if (archived) {
      const open = await tx.release.count({ where: { environmentId: before.id, status: { in: [...OPEN] } } });
      if (open > 0) {
        throw conflict(
          `${name} has ${open} open promotion request${open === 1 ? '' : 's'}; approve, reject or cancel ${open === 1 ? 'it' : 'them'} before archiving.`,
          'environment_busy',
        );
      }
    }
    const after = await tx.environment.update({ where: { id: before.id }, data: { archivedAt: archived ? new Date() : null } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: archived ? 'environment.archive' : 'environment.unarchive',
      targetType: 'environment',
      targetId: name,
      before: { archivedAt: before.archivedAt?.toISOString() ?? null },
      after: { archivedAt: after.archivedAt?.toISOString() ?? null },
      requestId: ctx.requestId,
    });
    return after;
  });
}
