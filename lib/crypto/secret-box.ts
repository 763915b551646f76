import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '@/lib/errors';

/**
 * Secrets ModelDeck must be able to read back (deployment backend tokens, alert channel
 * credentials) are sealed with AES-256-GCM before they reach the database. The key comes
 * from MODELDECK_ENCRYPTION_KEY (32 bytes, base64 or hex); embedded mode generates one into
 * .data/secrets.json. `context` is bound as associated data, so a sealed value copied onto
 * another row (another environment, another channel) fails to open instead of being used there.
 *
 * Sealed format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
const VERSION = 'v1';

export function encryptionKey(): Buffer {
  const raw = process.env.MODELDECK_ENCRYPTION_KEY?.trim();
  if (!raw) {
    throw new AppError(
      503,
      'encryption_key_missing',
      'MODELDECK_ENCRYPTION_KEY is not set, so secrets cannot be stored or read. Generate one with `openssl rand -base64 32` and export it.',
    );
  }
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new AppError(
      503,
      'encryption_key_invalid',
      'MODELDECK_ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded; generate one with `openssl rand -base64 32`.',
    );
  }
  return key;
}

export function sealSecret(plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function openSecret(sealed: string, context: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new AppError(500, 'secret_unreadable', 'A stored secret is not in a format this version of ModelDeck reads.');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey(), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError(
      500,
      'secret_unreadable',
      'A stored secret cannot be decrypted: MODELDECK_ENCRYPTION_KEY changed since it was saved, or the value was altered. Enter the secret again.',
    );
  }
}
