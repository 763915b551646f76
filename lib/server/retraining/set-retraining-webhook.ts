import 'server-only';
import { db } from '@/lib/db';
import { notFound, unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { checkOutboundUrl } from '@/lib/server/net/outbound-request';
import { outboundPolicy, redactUrl } from '@/lib/server/net/outbound-url';
import type { RetrainingWebhookInput } from '@/lib/validation/retraining';
import { sealRetrainingSecret } from './retraining-secret';

export async function getRetrainingWebhook(name: string) {
  const environment = await db().environment.findUnique({ where: { name } });
  if (!environment) throw notFound(`Environment "${name}" not found.`);
  return { environment: name, url: environment.retrainingWebhookUrl, configured: environment.retrainingWebhookUrl !== null };
}

/** Sets (input) or removes (null) an environment's training-pipeline webhook; admins, audited without the secret. */
export async function setRetrainingWebhook(ctx: RequestContext, name: string, input: RetrainingWebhookInput | null) {
  if (input) {
    const problem = await checkOutboundUrl(input.url, outboundPolicy());
    if (problem) throw unprocessable(`Invalid url: ${problem}`, { url: [problem] });
  }
  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM environments WHERE name = ${name} FOR UPDATE`;
    const id = locked[0]?.id;
    if (!id) throw notFound(`Environment "${name}" not found.`);
    const before = await tx.environment.findUniqueOrThrow({ where: { id } });
    const after = await tx.environment.update({
      where: { id },
      data: input ? { retrainingWebhookUrl: input.url, retrainingSecretSealed: sealRetrainingSecret(id, input.secret) } : { retrainingWebhookUrl: null, retrainingSecretSealed: null },
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: input ? 'environment.retraining_webhook.set' : 'environment.retraining_webhook.remove',
      targetType: 'environment',
      targetId: name,
      before: { retrainingWebhookUrl: before.retrainingWebhookUrl ? redactUrl(before.retrainingWebhookUrl) : null },
      after: { retrainingWebhookUrl: after.retrainingWebhookUrl ? redactUrl(after.retrainingWebhookUrl) : null },
      requestId: ctx.requestId,
    });
    return { environment: name, url: after.retrainingWebhookUrl, configured: after.retrainingWebhookUrl !== null };
  });
}
