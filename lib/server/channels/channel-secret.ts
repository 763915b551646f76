import 'server-only';
import { openSecret, sealSecret } from '@/lib/crypto/secret-box';

/** Bound to the channel's id, so a sealed value copied onto another channel does not open. */
const context = (channelId: string) => `alert-channel:${channelId}`;

export const sealChannelSecret = (channelId: string, secret: string) => sealSecret(secret, context(channelId));
export const openChannelSecret = (channelId: string, sealed: string | null) => (sealed ? openSecret(sealed, context(channelId)) : null);
