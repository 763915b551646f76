import 'server-only';
import type { ChannelKind } from './types';
import { email } from './email';
import { slack } from './slack';
import { webhook } from './webhook';

/** Every notification channel kind. Keys are the `kind` column's values. */
export const CHANNEL_KIND_REGISTRY: Record<string, ChannelKind> = { webhook, slack, email };
