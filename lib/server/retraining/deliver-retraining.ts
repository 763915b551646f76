import 'server-only';
import { db } from '@/lib/db';
import { postJsonOrThrow } from '@/lib/server/channels/kinds/post-json';
import { signPayload } from '@/lib/server/webhooks/sign-payload';
import { driftEvidence } from './request-retraining';
import { openRetrainingSecret } from './retraining-secret';

/**
 * The `retraining-deliver` job: POSTs the signed `retraining.requested` event to the
 * environment's pipeline webhook, records the attempt, and throws on failure so the queue
 * retries with backoff; the last failed attempt marks the request failed (and says so on the
 * alert's timeline). The pipeline dedupes on the request id it is sent.
 */
export async function deliverRetraining(requestId: string, options: { final: boolean }): Promise<void> {
  const request = await db().retrainingRequest.findUnique({ where: { id: requestId } });
  if (!request || request.deliveredAt || request.status !== 'requested') return;
  const environment = await db().environment.findUniqueOrThrow({ where: { id: request.environmentId } });
  let error: string | null = null;
  let payload = request.payload as Record<string, unknown>;
  if (payload.evidence === null) {
    // Once, before the first attempt: every retry then sends the same body.
    const alert = payload.alert as { signalType: string };
    const { current } = payload.windows as { current: { from: string; to: string } };
    const evidence = await driftEvidence(String(payload.model), String(payload.environment), (payload.liveVersion as number | null) ?? undefined, alert.signalType, current);
    payload = { ...payload, evidence };
    await db().retrainingRequest.update({ where: { id: requestId }, data: { payload: JSON.parse(JSON.stringify(payload)) } });
  }
  try {
    if (!environment.retrainingWebhookUrl || !environment.retrainingSecretSealed) throw new Error(`${environment.name} no longer has a retraining webhook.`);
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    await postJsonOrThrow(environment.retrainingWebhookUrl, body, {
      'x-modeldeck-event': 'retraining.requested',
      'x-modeldeck-delivery': request.id,
      'x-modeldeck-timestamp': String(timestamp),
      'x-modeldeck-signature': signPayload(openRetrainingSecret(environment.id, environment.retrainingSecretSealed), body, timestamp),
    });
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const now = new Date();
  const failed = error !== null && options.final;
  await db().$transaction(async (tx) => {
    await tx.retrainingRequest.update({
      where: { id: requestId },
      data: { attempts: { increment: 1 }, lastError: error, ...(error ? (failed ? { status: 'failed' } : {}) : { deliveredAt: now }) },
    });
    if (request.alertId && (error === null || failed)) {
      await tx.alertEvent.create({
        data: {
          alertId: request.alertId,
          kind: error ? 'retraining_failed' : 'retraining_delivered',
          at: now,
          detail: { requestId, attempts: request.attempts + 1, ...(error ? { error } : {}) },
        },
      });
    }
  });
  if (error) throw new Error(`Retraining request ${requestId} could not be delivered: ${error}`);
}
