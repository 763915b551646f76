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

/**
 * The dashboard API token labels are sent with: MODELDECK_TOKEN, or in embedded mode the
 * model server's reporting token (`modelServerReportToken`, an engineer's); null if neither.
 */
export function resolveDashboardToken(env: Record<string, string | undefined>, dataDir: string): string | null {
  if (env.MODELDECK_TOKEN) return env.MODELDECK_TOKEN;
  const file = path.join(dataDir, 'secrets.json');
  if (!existsSync(file)) return null;
  const secrets = JSON.parse(readFileSync(file, 'utf8')) as { modelServerReportToken?: unknown };
  return typeof secrets.modelServerReportToken === 'string' && secrets.modelServerReportToken ? secrets.modelServerReportToken : null;
}
