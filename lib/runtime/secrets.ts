import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from './paths';

export interface LocalSecrets {
  nextAuthSecret: string;
  embeddedDbPassword: string;
}

/**
 * Secrets for embedded mode, generated on first use and kept in .data/secrets.json
 * (mode 0600) so that sessions survive restarts. Production mode never uses this file.
 */
export function loadOrCreateLocalSecrets(dir: string = dataDir): LocalSecrets {
  const file = path.join(dir, 'secrets.json');
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  }
  const secrets: LocalSecrets = {
    nextAuthSecret: randomBytes(32).toString('base64url'),
    embeddedDbPassword: randomBytes(18).toString('base64url'),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}
