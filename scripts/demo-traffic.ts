/**
 * npm run demo:traffic -- [--rate 20] [--duration 5m] [--shift feature=amount,factor=1.5] …
 *
 * Realistic OIP v2 traffic for the demo models live in an environment of the local model
 * server (see lib/demo/traffic/options.ts for every option, or run with --help).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { discoverTargets, type TrafficTarget } from '../lib/demo/traffic/discover-targets';
import { LabelSender } from '../lib/demo/traffic/label-sender';
import { parseTrafficArgs, TRAFFIC_USAGE, UsageError } from '../lib/demo/traffic/options';
import { runTraffic } from '../lib/demo/traffic/run-traffic';
import { resolveDashboardToken, resolveServerToken } from '../lib/demo/traffic/server-token';
import { dataDir } from '../lib/runtime/paths';

/** Models go live and are rolled back while the script runs: look again this often. */
const REDISCOVER_EVERY_MS = 30_000;

async function main(): Promise<number> {
  let options;
  try {
    options = parseTrafficArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${TRAFFIC_USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(TRAFFIC_USAGE);
    return 0;
  }
  const token = resolveServerToken(process.env, dataDir);
  const labels = startLabels(options.labels);

  let targets = new Map<string, TrafficTarget>();
  let reported = '';
  const discover = async () => {
    const found = await discoverTargets({ ...options, token, fetch, known: targets });
    targets = new Map(found.targets.map((t) => [t.model, t]));
    const summary = [
      `sending to ${found.targets.map((t) => t.model).join(', ') || 'no model'} in ${options.environment}`,
      ...found.skipped.map((s) => `skipping ${s.model}: ${s.reason}`),
    ].join('\n');
    if (summary !== reported) console.log(summary);
    reported = summary;
  };
  try {
    await discover();
  } catch (error) {
    console.error(`Cannot read what is live on ${options.server}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  for (const shift of options.shifts) {
    console.log(`shifting ${shift.model ? `${shift.model}.` : ''}${shift.feature}: × ${shift.factor ?? 1} + ${shift.offset ?? 0}`);
  }
  const rediscovery = setInterval(() => {
    discover().catch((error: unknown) => console.error(`Rediscovery failed (keeping the current models): ${error instanceof Error ? error.message : String(error)}`));
  }, REDISCOVER_EVERY_MS);

  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.log('\nStopping: waiting for requests in flight (Ctrl-C again to quit at once).');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });

  const summary = await runTraffic(options, {
    targets: () => [...targets.values()],
    fetch,
    signal: controller.signal,
    runId: `demo-${randomBytes(4).toString('hex')}`,
    onStatus: (line) => console.log(labels ? `${line} | ${labelStatus(labels)}` : line),
    onPrediction: labels ? (event) => labels.schedule(event) : undefined,
  });
  clearInterval(rediscovery);
  console.log(`done: sent ${summary.sent}, ok ${summary.ok}, errors ${summary.errors}`);
  if (labels) await finishLabels(labels);
  return summary.sent > 0 && summary.ok === 0 ? 1 : 0;
}

const LABEL_FLUSH_MS = 1000;
let labelTimer: NodeJS.Timeout | null = null;

function startLabels(settings: { dashboard: string; delaySeconds: number; share: number }): LabelSender | null {
  if (settings.share === 0) return null;
  const dashboardToken = resolveDashboardToken(process.env, dataDir);
  if (!dashboardToken) {
    console.log('Not sending labels: set MODELDECK_TOKEN to an engineer’s API token (embedded mode uses the model server’s reporting token from .data/secrets.json).');
    return null;
  }
  const sender = new LabelSender(
    { dashboard: settings.dashboard, token: dashboardToken, delayMs: settings.delaySeconds * 1000, share: settings.share },
    { fetch, now: () => Date.now(), random: Math.random },
  );
  labelTimer = setInterval(() => void sender.flush(), LABEL_FLUSH_MS);
  console.log(`labels of ${settings.share * 100}% of rows go to ${settings.dashboard} ${settings.delaySeconds} s after each answer`);
  return sender;
}

function labelStatus(sender: LabelSender): string {
  return `labels sent ${sender.sent}, waiting ${sender.waiting}${sender.lastError ? `, last error: ${sender.lastError}` : ''}`;
}

/** The labels of the last answers are still waiting for their delay: send them before exiting (Ctrl-C skips). */
async function finishLabels(sender: LabelSender): Promise<void> {
  if (labelTimer) clearInterval(labelTimer);
  const last = sender.lastDueAt();
  if (last !== null) {
    console.log(`sending the last ${sender.waiting} labels in ${Math.ceil(Math.max(0, last - Date.now()) / 1000)} s (Ctrl-C to quit now)`);
    await delay(Math.max(0, last - Date.now()));
    // A few attempts for labels that hit an outage at the end; then they are given up.
    for (let attempt = 0; attempt < 5 && sender.waiting > 0; attempt++) {
      await sender.flush();
      if (sender.waiting > 0) await delay(2000);
    }
  }
  console.log(labelStatus(sender));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
