import { randomBytes } from 'node:crypto';

/** A new signing secret: 32 random bytes, base64url. Returned once on creation. */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}
