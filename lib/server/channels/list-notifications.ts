import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';

/** A channel's most recent delivery attempts, newest first. */
export async function listChannelNotifications(channelId: string, limit = 50) {
  const channel = await db().alertChannel.findUnique({ where: { id: channelId } });
  if (!channel) throw notFound(`Channel ${channelId} not found.`);
  const items = await db().alertNotification.findMany({
    where: { channelId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    include: { channel: { select: { name: true } } },
  });
  return { channel, items };
}
