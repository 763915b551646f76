import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '@/lib/errors';

/**
 * Seals secrets kept in the database (signing keys, backend credentials) with AES-256-GCM
 * under MODELDECK_ENCRYPTION_KEY, so a database dump alone does not reveal them. Format:
 * `v1:<iv b64>:<tag b64>:<ciphertext b64>`; the version prefix leaves room for rotation.
 */
const VERSION = 'v1';

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(), iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

export function decryptSecret(sealed: string): string {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined || rest.length) {
    throw new Error('A sealed secret is not in the v1:<iv>:<tag>:<ciphertext> format.');
  }
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError(
      503,
      'encryption_key_mismatch',
      'A stored secret cannot be decrypted: MODELDECK_ENCRYPTION_KEY is not the key it was sealed with. Restore the original key.',
    );
  }
}

/** Read at each use so a restart with a new value (or a test) takes effect. */
function encryptionKey(): Buffer {
  const raw = process.env.MODELDECK_ENCRYPTION_KEY?.trim();
  if (!raw) {
    throw new AppError(
      503,
      'encryption_key_missing',
      'MODELDECK_ENCRYPTION_KEY is not set: generate one with `openssl rand -base64 32` and export it (embedded mode generates it into .data/secrets.json).',
    );
  }
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new AppError(503, 'encryption_key_invalid', 'MODELDECK_ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded: generate one with `openssl rand -base64 32`.');
  }
  return key;
}
