/**
 * The reference model server: `npm run serve`. A separate process from the dashboard (it
 * imports nothing from Next.js, Prisma or lib/server), so predictions go on when the
 * dashboard is down. Settings: see serving/README.md.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { prepareState, reopenVersions, restoreStreaming } from './management';
import { createMetrics } from './metrics';
import { Registry } from './registry';
import { Reporter } from './reporter';
import { createServer } from './server';
import { readSettings, SettingsError } from './settings';
import { StateStore } from './state-store';
import { Streaming } from './streaming';

async function main() {
  let settings;
  try {
    settings = readSettings();
  } catch (caught) {
    if (caught instanceof SettingsError) {
      console.error(caught.message);
      process.exit(1);
    }
    throw caught;
  }
  const logger = pino({ level: settings.logLevel, base: { service: 'model-server' } });
  if (settings.token === null) logger.warn('MODEL_SERVER_INSECURE_NO_TOKEN=1: the management API accepts anyone');

  const store = new StateStore(settings.stateDir);
  await store.init();
  const registry = new Registry();
  const metrics = createMetrics();
  await prepareState({ registry, store, metrics, logger });
  const reporter = settings.report ? new Reporter(settings.report, metrics, logger) : null;
  reporter?.start();
  if (settings.report) logger.info({ url: settings.report.url, buffer: settings.report.bufferSize }, 'reporting predictions');
  const streaming = new Streaming({ registry, metrics, logger, reporter });
  // Before listening, so no management change can persist a state without the bindings;
  // requests that arrive while versions are still loading wait in the stream (nak + delay).
  await restoreStreaming({ registry, store, metrics, logger, streaming });
  const server = createServer({ registry, store, metrics, logger, token: settings.token, reporter, streaming });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ host: settings.host, port, stateDir: settings.stateDir }, 'listening');

  // Live at once, ready (200 on /v2/health/ready) once the desired state is back in memory.
  await reopenVersions({ registry, store, metrics, logger });
  logger.info({ port }, 'ready');

  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    // Streaming first: its in-flight requests are scored, published and acked before the exit.
    const drained = streaming.stopAll();
    server.close(() => {
      const flushed = drained.then(() => (reporter ? reporter.stop() : undefined));
      void flushed.finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((caught: unknown) => {
  console.error(caught);
  process.exit(1);
});
