/** Model server settings from environment variables, with messages that say how to fix a bad value. */
import path from 'node:path';

export interface Settings {
  host: string;
  port: number;
  /** null only when MODEL_SERVER_INSECURE_NO_TOKEN=1. */
  token: string | null;
  stateDir: string;
  logLevel: string;
  /** null when MODEL_SERVER_REPORT_URL is unset: predictions are not reported. */
  report: { url: string; token: string | null; bufferSize: number; intervalMs: number; batchSize: number } | null;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new SettingsError(`${name} must be a positive whole number, got ${JSON.stringify(text)}.`);
  return Number(text);
}

function readReport(env: NodeJS.ProcessEnv): Settings['report'] {
  const raw = env.MODEL_SERVER_REPORT_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(`MODEL_SERVER_REPORT_URL must be the dashboard's base URL, e.g. http://127.0.0.1:3000, got ${JSON.stringify(raw)}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SettingsError(`MODEL_SERVER_REPORT_URL must be an http(s) URL, got ${JSON.stringify(raw)}.`);
  return {
    url: raw.replace(/\/+$/, ''),
    token: env.MODEL_SERVER_REPORT_TOKEN || null,
    bufferSize: positiveInteger(env, 'MODEL_SERVER_REPORT_BUFFER', 10_000),
    intervalMs: positiveInteger(env, 'MODEL_SERVER_REPORT_INTERVAL_MS', 1000),
    batchSize: 1000,
  };
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
    report: readReport(env),
  };
}
