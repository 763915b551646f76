import 'server-only';
import { db } from '@/lib/db';
import { badRequest, conflict, unauthorized } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { verifySignature } from '@/lib/server/webhooks/sign-payload';
import { ZRetrainingCallback } from '@/lib/validation/retraining';
import { validationError } from '@/lib/server/http/problem';
import { openRetrainingSecret } from './retraining-secret';

const REJECTED = 'The x-modeldeck-signature header does not match this body and the environment\'s retraining secret (or is older than 5 minutes).';

/**
 * The pipeline's signed callback: requested → acknowledged. The signature (the same scheme as
 * the request, with the environment's secret) is checked over the raw body before anything
 * else; a bad one is 401 and audited. A repeat of an acknowledgement changes nothing.
 */
export async function acknowledgeRetraining(options: { id: string; rawBody: string; signature: string | null; requestId: string }) {
  const request = await db().retrainingRequest.findUnique({ where: { id: options.id } });
  const environment = request ? await db().environment.findUnique({ where: { id: request.environmentId } }) : null;
  const secret = environment?.retrainingSecretSealed ? openRetrainingSecret(environment.id, environment.retrainingSecretSealed) : null;
  // An unknown id answers like a bad signature: callers cannot probe which ids exist.
  if (!request || !secret || !options.signature || !verifySignature(secret, options.rawBody, options.signature)) {
    await db().$transaction((tx) =>
      recordAudit(tx, {
        actor: null,
        action: 'retraining.callback_rejected',
        targetType: 'retraining_request',
        targetId: options.id,
        after: { reason: options.signature ? 'bad signature' : 'no signature' },
        requestId: options.requestId,
      }),
    );
    throw unauthorized(REJECTED);
  }
  let json: unknown;
  try {
    json = JSON.parse(options.rawBody);
  } catch {
    throw badRequest('The body must be JSON: {"status": "acknowledged", "runId": "…"}.');
  }
  const parsed = ZRetrainingCallback.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  return db().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM retraining_requests WHERE id = ${options.id}::uuid FOR UPDATE`;
    if (locked?.status === 'acknowledged' || locked?.status === 'completed') return tx.retrainingRequest.findUniqueOrThrow({ where: { id: options.id } });
    if (locked?.status !== 'requested') throw conflict(`This retraining request is ${locked?.status ?? 'gone'}; it cannot be acknowledged.`, 'retraining_state');
    const now = new Date();
    const updated = await tx.retrainingRequest.update({
      where: { id: options.id },
      data: { status: 'acknowledged', acknowledgedAt: now, deliveredAt: request.deliveredAt ?? now, pipelineRunId: parsed.data.runId ?? null },
    });
    if (request.alertId) {
      await tx.alertEvent.create({
        data: { alertId: request.alertId, kind: 'retraining_acknowledged', at: now, detail: { requestId: request.id, runId: parsed.data.runId ?? null, message: parsed.data.message ?? null } },
      });
    }
    await recordAudit(tx, {
      actor: null,
      action: 'retraining.acknowledge',
      targetType: 'retraining_request',
      targetId: request.id,
      after: { status: 'acknowledged', runId: parsed.data.runId ?? null },
      requestId: options.requestId,
    });
    return updated;
  });
}
