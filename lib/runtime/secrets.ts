import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from './paths';

export interface LocalSecrets {
  nextAuthSecret: string;
  embeddedDbPassword: string;
  /** MODELDECK_ENCRYPTION_KEY for embedded mode: 32 random bytes, base64. */
  encryptionKey: string;
}

/**
 * Secrets for embedded mode, generated on first use and kept in .data/secrets.json
 * (mode 0600) so that sessions survive restarts. Production mode never uses this file.
 */
export function loadOrCreateLocalSecrets(): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
    if (stored.nextAuthSecret && stored.embeddedDbPassword && stored.encryptionKey) return stored as LocalSecrets;
    // A data directory from before a secret existed gains it; the ones it has are kept.
    const completed = { ...generateSecrets(), ...stored };
    writeFileSync(file, JSON.stringify(completed, null, 2) + '\n', { mode: 0o600 });
    return completed;
  }
  const secrets = generateSecrets();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

function generateSecrets(): LocalSecrets {
  return {
    nextAuthSecret: randomBytes(32).toString('base64url'),
    embeddedDbPassword: randomBytes(18).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
}
