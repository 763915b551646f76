import 'server-only';
import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db';
import { conflict, unprocessable } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { checkOutboundUrl } from '@/lib/server/net/outbound-request';
import { outboundPolicy } from '@/lib/server/net/outbound-url';
import { newWebhookSecret } from '@/lib/server/webhooks/webhook-secret';
import { splitRecipients, type CreateChannelInput } from '@/lib/validation/alerts';
import { sealChannelSecret } from './channel-secret';
import { smtpSettings } from './kinds/email';
import { serializeChannel } from './serialize-channel';

/**
 * Adds a channel. Credentials (the webhook signing secret, the Slack URL, which is itself a
 * credential) are sealed before they reach the database; a webhook's secret is returned once.
 */
export async function createChannel(ctx: RequestContext, input: CreateChannelInput) {
  const id = randomUUID();
  let config: Prisma.InputJsonObject = {};
  let secret: string | null = null;
  let returnedSecret: string | null = null;
  if (input.kind === 'webhook') {
    await assertReachableOrThrow(input.target);
    config = { url: input.target };
    secret = returnedSecret = newWebhookSecret();
  } else if (input.kind === 'slack') {
    await assertReachableOrThrow(input.target);
    secret = input.target;
  } else {
    if (!smtpSettings()) {
      throw unprocessable('E-mail is not configured on this server: set SMTP_HOST (see the README) first.', {
        kind: ['E-mail channels need SMTP_HOST.'],
      });
    }
    config = { to: splitRecipients(input.target).map((address) => address.toLowerCase()) };
  }
  const sealedSecret = secret === null ? null : sealChannelSecret(id, secret);
  try {
    const channel = await db().$transaction(async (tx) => {
      const created = await tx.alertChannel.create({ data: { id, name: input.name, kind: input.kind, config, sealedSecret } });
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'channel.create',
        targetType: 'alert_channel',
        targetId: created.id,
        after: { name: created.name, kind: created.kind, target: serializeChannel(created).target },
        requestId: ctx.requestId,
      });
      return created;
    });
    return { channel, secret: returnedSecret };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict(`A channel named "${input.name}" already exists.`, 'channel_exists');
    }
    throw error;
  }
}

async function assertReachableOrThrow(url: string) {
  const problem = await checkOutboundUrl(url, outboundPolicy());
  if (problem) throw unprocessable(`Invalid target: ${problem}`, { target: [problem] });
}
