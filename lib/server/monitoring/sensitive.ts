import 'server-only';
import { createHmac } from 'node:crypto';
import { env } from '@/lib/env';

let salt: Buffer | undefined;

/**
 * The key sensitive categories are hashed with: MONITORING_HASH_SALT, or else one derived from
 * NEXTAUTH_SECRET (itself generated into the secrets file in embedded mode). It must stay
 * stable: references and records hashed under different salts no longer match, and drift on
 * that feature would report every category as new.
 */
function hashKey(): Buffer {
  if (salt) return salt;
  const configured = process.env.MONITORING_HASH_SALT;
  salt = configured
    ? Buffer.from(configured, 'utf8')
    : createHmac('sha256', env().NEXTAUTH_SECRET).update('modeldeck monitoring category salt').digest();
  return salt;
}

/**
 * A sensitive category as stored: a keyed hash, equal for equal values (so category counts,
 * chi-square and PSI work unchanged) but not reversible without the salt.
 */
export function hashCategory(value: string): string {
  return `h:${createHmac('sha256', hashKey()).update(value, 'utf8').digest('base64url').slice(0, 22)}`;
}
