import 'server-only';
import { signPayload } from '@/lib/server/webhooks/sign-payload';
import type { ChannelKind } from './types';
import { postJsonOrThrow } from './post-json';

/** The alert as JSON, signed like ModelDeck's other webhooks (x-modeldeck-signature). */
export const webhook: ChannelKind = {
  async send(channel, secret, message) {
    if (!secret) throw new Error('The channel has no signing secret; create it again.');
    const body = JSON.stringify(message);
    const timestamp = Math.floor(Date.now() / 1000);
    await postJsonOrThrow(urlOf(channel.config), body, {
      'x-modeldeck-event': message.event,
      'x-modeldeck-delivery': message.id,
      'x-modeldeck-timestamp': String(timestamp),
      'x-modeldeck-signature': signPayload(secret, body, timestamp),
    });
  },
  describeTarget: (channel) => urlOf(channel.config),
};

function urlOf(config: unknown): string {
  return String((config as { url?: unknown }).url ?? '');
}
