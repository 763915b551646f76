import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';

/** Deletes a channel, its delivery log, and its place in every rule's channel list. */
export async function deleteChannel(ctx: RequestContext, id: string) {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alert_channels WHERE id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) throw notFound(`Channel ${id} not found.`);
    await tx.$executeRaw`UPDATE alert_rules SET "channelIds" = array_remove("channelIds", ${id}::uuid) WHERE ${id}::uuid = ANY("channelIds")`;
    const deleted = await tx.alertChannel.delete({ where: { id } });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'channel.delete',
      targetType: 'alert_channel',
      targetId: id,
      before: { name: deleted.name, kind: deleted.kind },
      requestId: ctx.requestId,
    });
    return deleted;
  });
}
