import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from './paths';

export interface LocalSecrets {
  nextAuthSecret: string;
  embeddedDbPassword: string;
  /** MODELDECK_ENCRYPTION_KEY of embedded mode (base64, 32 bytes): seals backend secrets. */
  encryptionKey: string;
  /** MODEL_SERVER_TOKEN of the model server that embedded mode starts beside the dashboard. */
  modelServerToken: string;
  /**
   * API token of the `model-server@modeldeck.local` service user, which the embedded model
   * server reports predictions with. Created in the database, not here: absent until then.
   */
  modelServerReportToken?: string;
}

function generate(): LocalSecrets {
  return {
    nextAuthSecret: randomBytes(32).toString('base64url'),
    embeddedDbPassword: randomBytes(18).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
    modelServerToken: randomBytes(32).toString('base64url'),
  };
}

/**
 * Secrets for embedded mode, generated on first use and kept in .data/secrets.json
 * (mode 0600) so that sessions survive restarts. Production mode never uses this file.
 * A file written by an older version gains the secrets it lacks; existing ones never change
 * (a new encryption key would make every stored backend secret unreadable).
 */
export function loadOrCreateLocalSecrets(dir: string = dataDir): LocalSecrets {
  const file = path.join(dir, 'secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  const secrets: LocalSecrets = { ...generate(), ...stored };
  if (Object.keys(secrets).some((key) => !(key in stored))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  }
  return secrets;
}


/** Adds or replaces secrets in .data/secrets.json (mode 0600), keeping the others. */
export function storeLocalSecrets(values: Partial<LocalSecrets>, dir: string = dataDir): void {
  const file = path.join(dir, 'secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify({ ...stored, ...values }, null, 2) + '\n', { mode: 0o600 });
}
