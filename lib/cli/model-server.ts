import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '@/lib/runtime/paths';

export interface EmbeddedModelServer {
  url: string;
  /** SIGTERM, then waits for the exit (the server drains in-flight requests first). */
  stop(): Promise<void>;
}

/**
 * Embedded mode runs the reference model server (serving/) as a child of `npm start`, so the
 * demo deploys for real with nothing else to install. It is a separate process all the same:
 * in production it runs on its own (`npm run serve`) and outlives dashboard restarts.
 * Resolves once the server printed its `listening` line; its log lines go to our stdout.
 */
export function startEmbeddedModelServer(options: {
  port: string;
  token: string;
  stateDir: string;
  /** Where it reports predictions (the dashboard) and with which API token. */
  report?: { url: string; token: string } | null;
}): Promise<EmbeddedModelServer> {
  const report = options.report ? { MODEL_SERVER_REPORT_URL: options.report.url, MODEL_SERVER_REPORT_TOKEN: options.report.token } : {};
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('serving', 'main.ts')], {
    cwd: projectRoot,
    env: { ...report, ...process.env, MODEL_SERVER_PORT: options.port, MODEL_SERVER_TOKEN: options.token, MODEL_SERVER_STATE_DIR: options.stateDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Whatever way this process ends, the model server it started ends with it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    let buffered = '';
    let listening = false;
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (listening) return;
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening' && typeof entry.port === 'number') {
            listening = true;
            buffered = '';
            resolve({
              url: `http://127.0.0.1:${entry.port}`,
              async stop() {
                if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
                await exited;
              },
            });
            return;
          }
        } catch {
          // a partial line: wait for the rest
        }
      }
    });
    child.once('exit', (code) => {
      if (!listening) reject(new Error(`The model server exited (code ${code}) before it listened on port ${options.port}; see its log above.`));
    });
  });
}
