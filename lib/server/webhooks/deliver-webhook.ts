import 'server-only';
import { db } from '@/lib/db';
import { describeOutboundError, postOutbound } from '@/lib/server/net/outbound-request';
import { outboundPolicy, redactUrl } from '@/lib/server/net/outbound-url';
import { signPayload } from './sign-payload';

const TIMEOUT_MS = 10_000;

/**
 * Sends one delivery. Throws on a non-2xx answer or a network error so the queue retries
 * with backoff; `final` marks the last attempt, after which the delivery is failed.
 */
export async function deliverWebhook(deliveryId: string, options: { final: boolean }): Promise<void> {
  const delivery = await db().webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (!delivery || delivery.status === 'delivered') return;
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  let status: number | null = null;
  let error: string | null = null;
  try {
    const response = await postOutbound(delivery.endpoint.url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ModelDeck-Webhooks/1',
        'x-modeldeck-event': delivery.event,
        'x-modeldeck-delivery': delivery.id,
        'x-modeldeck-timestamp': String(timestamp),
        'x-modeldeck-signature': signPayload(delivery.endpoint.secret, body, timestamp),
      },
      body,
      timeoutMs: TIMEOUT_MS,
      // Read at every attempt: the addresses a name resolves to are checked when connecting.
      policy: outboundPolicy(),
    });
    status = response.status;
    if (status >= 300 && status < 400) error = `HTTP ${status} (redirects are not followed; subscribe the final URL)`;
    else if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (caught) {
    error = describeOutboundError(caught, delivery.endpoint.url);
  }
  const now = new Date();
  await db().webhookDelivery.update({
    where: { id: delivery.id },
    data: {
      attempts: { increment: 1 },
      lastAttemptAt: now,
      lastStatus: status,
      lastError: error,
      ...(error ? (options.final ? { status: 'failed' } : {}) : { status: 'delivered', deliveredAt: now }),
    },
  });
  if (error) throw new Error(`Webhook delivery ${delivery.id} to ${redactUrl(delivery.endpoint.url)} failed: ${error}`);
}
