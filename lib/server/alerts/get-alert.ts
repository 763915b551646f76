import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { serializeNotification } from '@/lib/server/channels/serialize-channel';
import { serializeAlert } from './serialize-alert';

/** An alert with its timeline (oldest first) and every notification attempt. */
export async function getAlertOrThrow(id: string) {
  const alert = await db().alert.findUnique({
    where: { id },
    include: {
      rule: { include: { model: { select: { name: true } } } },
      events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      notifications: { orderBy: { createdAt: 'asc' }, include: { channel: { select: { name: true } } } },
    },
  });
  if (!alert) throw notFound(`Alert ${id} not found.`);
  const [environment, actors] = await Promise.all([
    db().environment.findUnique({ where: { id: alert.environmentId }, select: { name: true } }),
    db().user.findMany({
      where: { id: { in: alert.events.map((e) => e.actorId).filter((a): a is string => a !== null) } },
      select: { id: true, name: true },
    }),
  ]);
  return {
    ...serializeAlert(alert, environment?.name ?? ''),
    events: alert.events.map((event) => ({
      kind: event.kind,
      at: event.at.toISOString(),
      actor: event.actorId ? (actors.find((a) => a.id === event.actorId)?.name ?? 'a deleted user') : null,
      comment: event.comment,
      detail: event.detail,
    })),
    notifications: alert.notifications.map(serializeNotification),
  };
}
