/** Model server settings from environment variables, with messages that say how to fix a bad value. */
import path from 'node:path';

export interface Settings {
  host: string;
  port: number;
  /** null only when MODEL_SERVER_INSECURE_NO_TOKEN=1. */
  token: string | null;
  stateDir: string;
  logLevel: string;
}

export class SettingsError extends Error {}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const portText = env.MODEL_SERVER_PORT || '8090';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new SettingsError(`MODEL_SERVER_PORT must be a port number from 0 to 65535 (0 picks a free port), got ${JSON.stringify(portText)}.`);
  }
  const insecure = env.MODEL_SERVER_INSECURE_NO_TOKEN === '1';
  const token = env.MODEL_SERVER_TOKEN || null;
  if (!token && !insecure) {
    throw new SettingsError(
      'MODEL_SERVER_TOKEN is required: the secret the dashboard sends to /manage (generate one with `openssl rand -hex 32`). ' +
        'For local experiments only, MODEL_SERVER_INSECURE_NO_TOKEN=1 leaves the management API open.',
    );
  }
  const dataDir = env.MODELDECK_DATA_DIR || './.data';
  return {
    host: env.MODEL_SERVER_HOST || '127.0.0.1',
    port,
    token,
    stateDir: path.resolve(env.MODEL_SERVER_STATE_DIR || path.join(dataDir, 'model-server')),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
