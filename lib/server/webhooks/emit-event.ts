import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Tx } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import type { WebhookEvent } from './events';

/**
 * Records one delivery per subscribed endpoint and enqueues it, in the caller's
 * transaction: an event is sent if and only if the change it announces was committed.
 */
export async function emitEvent(tx: Tx, event: WebhookEvent, data: Prisma.InputJsonObject): Promise<void> {
  const endpoints = await tx.webhookEndpoint.findMany({ where: { active: true, events: { has: event } }, select: { id: true } });
  if (endpoints.length === 0) return;
  const payload = { id: randomUUID(), event, occurredAt: new Date().toISOString(), data };
  for (const endpoint of endpoints) {
    const delivery = await tx.webhookDelivery.create({ data: { endpointId: endpoint.id, event, payload } });
    await enqueue(tx, QUEUES.deliverWebhook, { deliveryId: delivery.id });
  }
}
