import 'server-only';
import PgBoss from 'pg-boss';
import type { Tx } from '@/lib/db';
import { databaseUrl } from '@/lib/env';
import { logger } from '@/lib/server/logger';

/** Durable queues (pg-boss, in the `pgboss` schema of the same database). */
export const QUEUES = {
  deployRelease: 'release-deploy',
  deliverWebhook: 'webhook-deliver',
  monitoringMaintenance: 'monitoring-maintenance',
  rebuildRollups: 'monitoring-rollups-rebuild',
  deliverAlertNotification: 'alert-notify',
  evaluateAlerts: 'alert-evaluate',
  loadProbe: 'load-probe',
  deliverRetraining: 'retraining-deliver',
  demoHistory: 'demo-history',
  releaseCallbackTimeout: 'release-callback-timeout',
  runBatchJob: 'batch-run',
  tickBatchSchedules: 'batch-schedules-tick',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * MODELDECK_JOB_RETRY_DELAY_SECONDS (whole seconds, ≥ 1) replaces the first retry delay of
 * every queue; backoff still doubles it. Meant for tests, which cannot wait 15 s for a
 * webhook retry. It applies when a queue is created (pg-boss keeps a queue's options in
 * its tables), so set it before the first start on a database.
 */
function retryDelay(defaultSeconds: number): number {
  const raw = process.env.MODELDECK_JOB_RETRY_DELAY_SECONDS;
  if (raw === undefined || raw === '') return defaultSeconds;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 ? value : defaultSeconds;
}

function retries(): Record<QueueName, PgBoss.Queue> {
  return {
    // Deployments retry a few times quickly; webhooks back off over about an hour.
    [QUEUES.deployRelease]: { name: QUEUES.deployRelease, retryLimit: 3, retryDelay: retryDelay(5), retryBackoff: true },
    [QUEUES.deliverWebhook]: { name: QUEUES.deliverWebhook, retryLimit: 8, retryDelay: retryDelay(15), retryBackoff: true },
    // Monitoring upkeep is idempotent and runs hourly anyway; a rebuild is retried until it lands.
    [QUEUES.monitoringMaintenance]: { name: QUEUES.monitoringMaintenance, retryLimit: 2, retryDelay: retryDelay(60), retryBackoff: true },
    [QUEUES.rebuildRollups]: { name: QUEUES.rebuildRollups, retryLimit: 5, retryDelay: retryDelay(10), retryBackoff: true },
    [QUEUES.deliverAlertNotification]: { name: QUEUES.deliverAlertNotification, retryLimit: 8, retryDelay: retryDelay(15), retryBackoff: true },
    // A failed evaluation is simply redone by the next minute's run; one quick retry is enough.
    [QUEUES.evaluateAlerts]: { name: QUEUES.evaluateAlerts, retryLimit: 1, retryDelay: retryDelay(10), retryBackoff: false },
    // A probe resumes from its last committed step; a target that stays down fails it after two more tries.
    // A probe runs at most 120 s, so a job still active after 5 min died with its process and is retried.
    [QUEUES.loadProbe]: { name: QUEUES.loadProbe, retryLimit: 2, retryDelay: retryDelay(5), retryBackoff: true, expireInSeconds: 300 },
    // A training pipeline may be down for a while: back off over about an hour, like webhooks.
    [QUEUES.deliverRetraining]: { name: QUEUES.deliverRetraining, retryLimit: 8, retryDelay: retryDelay(15), retryBackoff: true },
    // The demo history resumes from its last committed day, so retrying is cheap.
    [QUEUES.demoHistory]: { name: QUEUES.demoHistory, retryLimit: 3, retryDelay: retryDelay(30), retryBackoff: true },
    [QUEUES.releaseCallbackTimeout]: { name: QUEUES.releaseCallbackTimeout, retryLimit: 5, retryDelay: retryDelay(10), retryBackoff: true },
    // A batch job resumes from its last committed chunk, so a retry loses at most one chunk of
    // work; a large file may run for hours, so it is not expired after pg-boss's 15 minutes.
    [QUEUES.runBatchJob]: { name: QUEUES.runBatchJob, retryLimit: 3, retryDelay: retryDelay(5), retryBackoff: true, expireInHours: 12 },
    // The next minute's tick catches up anyway.
    [QUEUES.tickBatchSchedules]: { name: QUEUES.tickBatchSchedules, retryLimit: 0 },
  };
}

let boss: Promise<PgBoss> | undefined;

/** The process's queue client, started (and its schema migrated) on first use. */
export function getBoss(): Promise<PgBoss> {
  return (boss ??= (async () => {
    const instance = new PgBoss({ connectionString: databaseUrl(), max: 4, schema: 'pgboss' });
    instance.on('error', (error) => logger().error({ err: error }, 'job queue error'));
    await instance.start();
    for (const queue of Object.values(retries())) await instance.createQueue(queue.name, queue);
    return instance;
  })().catch((error: unknown) => {
    boss = undefined;
    throw error;
  }));
}

export async function stopBoss(): Promise<void> {
  if (!boss) return;
  const instance = await boss;
  boss = undefined;
  await instance.stop({ graceful: false, wait: true });
}

/**
 * Enqueues a job inside the caller's transaction (outbox): the job exists exactly when
 * the change that needs it was committed.
 */
export async function enqueue(
  tx: Tx,
  queue: QueueName,
  data: object,
  options: { startAfter?: Date; startAfterSeconds?: number; singletonKey?: string } = {},
): Promise<void> {
  const instance = await getBoss();
  await instance.send(queue, data, {
    // A delayed job (a canary's next step, a callback deadline) survives kill -9 like any other:
    // it is a row. `startAfter` is absolute, because a relative delay counts from the
    // transaction's start.
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    ...(options.startAfterSeconds !== undefined ? { startAfter: options.startAfterSeconds } : {}),
    ...(options.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
    db: {
      executeSql: async (text: string, values: unknown[]) => ({ rows: (await tx.$queryRawUnsafe(text, ...values)) as unknown[] }),
    },
  });
}
