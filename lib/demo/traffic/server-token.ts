import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The model server's management token: MODEL_SERVER_TOKEN, or in embedded mode the
 * `modelServerToken` that `npm start` keeps in <data dir>/secrets.json.
 */
export function resolveServerToken(env: Record<string, string | undefined>, dataDir: string): string {
  if (env.MODEL_SERVER_TOKEN) return env.MODEL_SERVER_TOKEN;
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const secrets = JSON.parse(readFileSync(file, 'utf8')) as { modelServerToken?: unknown };
    if (typeof secrets.modelServerToken === 'string' && secrets.modelServerToken) return secrets.modelServerToken;
  }
  throw new Error(
    `No token for the model server's management API: set MODEL_SERVER_TOKEN, or start ModelDeck in embedded mode (npm start) so that ${file} holds modelServerToken.`,
  );
}
