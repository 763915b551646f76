import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'mdk_';

/** A new token: 32 random bytes; only its SHA-256 is stored (it is high-entropy, so no slow hash is needed). */
export function newTokenSecret(): { token: string; prefix: string; tokenHash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, prefix: token.slice(0, 12), tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
