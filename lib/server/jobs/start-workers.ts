import 'server-only';
import type PgBoss from 'pg-boss';
import { logger } from '@/lib/server/logger';
import { maintainMonitoring } from '@/lib/server/monitoring/apply-retention';
import { rebuildRollups } from '@/lib/server/monitoring/rebuild-rollups';
import { countJobFailure } from '@/lib/server/system/metrics';
import { deployRelease, failRelease, recordRetry } from '@/lib/server/promotions/deploy-release';
import { resumeRollouts } from './resume-rollouts';
import { resumeDemoHistory } from '@/lib/server/demo/queue-demo-history';
import { runDemoHistory } from '@/lib/server/demo/run-demo-history';
import { expireReleaseCallback } from '@/lib/server/deployments/deploy-through-callback';
import { failBatchJob, runBatchJob } from '@/lib/server/batch/run-batch-job';
import { resumeBatchJobs } from '@/lib/server/batch/resume-batch-jobs';
import { tickBatchSchedules } from '@/lib/server/batch/tick-batch-schedules';
import { deliverWebhook } from '@/lib/server/webhooks/deliver-webhook';
import { evaluateAlerts } from '@/lib/server/alerts/evaluate-alerts';
import { deliverNotification } from '@/lib/server/channels/deliver-notification';
import { runLoadProbe } from '@/lib/server/decisions/run-load-probe';
import { deliverRetraining } from '@/lib/server/retraining/deliver-retraining';
import { getBoss, QUEUES, type QueueName } from './queue';

interface JobWithMetadata<T> {
  id: string;
  data: T;
  retryCount: number;
  retryLimit: number;
}

/** Jobs taken per fetch and run side by side; each fails or succeeds on its own. */
const BATCH_SIZE = 10;

/**
 * A pg-boss worker fetches once per polling interval. Fetching a batch and running its
 * jobs concurrently keeps a backlog (say, after a restart) or one slow webhook receiver
 * from delaying everything behind it; a failing job is failed alone (and retried by the
 * queue's policy) while the rest of the batch completes.
 */
async function workEach<T>(
  boss: PgBoss,
  queue: QueueName,
  pollingIntervalSeconds: number,
  handle: (job: JobWithMetadata<T>) => Promise<void>,
): Promise<void> {
  await boss.work<T>(queue, { pollingIntervalSeconds, batchSize: BATCH_SIZE, includeMetadata: true }, async (jobs) => {
    await Promise.all(
      (jobs as unknown as JobWithMetadata<T>[]).map(async (job) => {
        try {
          await handle(job);
        } catch (error) {
          countJobFailure(queue);
          await boss.fail(queue, job.id, { message: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
  });
}

/** Registers the workers of this process (the Next.js server starts them at boot). */
export async function startWorkers(options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
  const boss = await getBoss();
  const interval = options.pollingIntervalSeconds ?? 1;

  await workEach<{ releaseId: string; due?: string }>(boss, QUEUES.deployRelease, interval, async ({ data, retryCount, retryLimit }) => {
    try {
      await deployRelease(data.releaseId, data.due ? { due: data.due } : {});
    } catch (error) {
      logger().error({ err: error, releaseId: data.releaseId, attempt: retryCount + 1 }, 'release deployment failed');
      const reason = error instanceof Error ? error.message : String(error);
      if (retryCount >= retryLimit) await failRelease(data.releaseId, `Gave up after ${retryCount + 1} attempts: ${reason}`);
      else await recordRetry(data.releaseId, retryCount + 1, error);
      throw error;
    }
  });

  await resumeRollouts(boss);

  await workEach<{ releaseId: string }>(boss, QUEUES.releaseCallbackTimeout, interval, async ({ data }) => {
    await expireReleaseCallback(data.releaseId);
  });

  await workEach<{ deliveryId: string }>(boss, QUEUES.deliverWebhook, interval, async ({ data, retryCount, retryLimit }) => {
    await deliverWebhook(data.deliveryId, { final: retryCount >= retryLimit });
  });

  await workEach<{ modelId: string; versionId: string }>(boss, QUEUES.rebuildRollups, interval, async ({ data }) => {
    await rebuildRollups(data.modelId, data.versionId);
  });

  // Hourly: partitions for the coming days, and each model's retention.
  await boss.schedule(QUEUES.monitoringMaintenance, '7 * * * *');
  await workEach(boss, QUEUES.monitoringMaintenance, Math.max(interval, 30), async () => {
    await maintainMonitoring();
  });

  await workEach<{ notificationId: string }>(boss, QUEUES.deliverAlertNotification, interval, async ({ data, retryCount, retryLimit }) => {
    await deliverNotification(data.notificationId, { final: retryCount >= retryLimit });
  });

  await workEach<{ ruleIds?: string[]; modelId?: string; environmentId?: string }>(boss, QUEUES.evaluateAlerts, interval, async ({ data }) => {
    await evaluateAlerts({
      ...(data.ruleIds ? { ruleIds: data.ruleIds } : {}),
      ...(data.modelId ? { modelId: data.modelId } : {}),
      ...(data.environmentId ? { environmentId: data.environmentId } : {}),
    });
  });
  await workEach<{ probeId: string }>(boss, QUEUES.loadProbe, interval, async ({ data, retryCount, retryLimit }) => {
    await runLoadProbe(data.probeId, { final: retryCount >= retryLimit });
  });
  await workEach<{ requestId: string }>(boss, QUEUES.deliverRetraining, interval, async ({ data, retryCount, retryLimit }) => {
    await deliverRetraining(data.requestId, { final: retryCount >= retryLimit });
  });
  await workEach(boss, QUEUES.demoHistory, interval, async () => {
    await runDemoHistory();
  });
  await resumeDemoHistory();

  // pg-boss keeps one schedule per queue across processes, so every worker may (re)declare it.
  await boss.schedule(QUEUES.evaluateAlerts, '* * * * *', {});

  await workEach<{ jobId: string }>(boss, QUEUES.runBatchJob, interval, async ({ data, retryCount, retryLimit }) => {
    try {
      await runBatchJob(data.jobId);
    } catch (error) {
      logger().error({ err: error, jobId: data.jobId, attempt: retryCount + 1 }, 'batch job attempt failed');
      if (retryCount >= retryLimit) await failBatchJob(data.jobId, `Gave up after ${retryCount + 1} attempts: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  });
  await resumeBatchJobs(boss);

  await workEach(boss, QUEUES.tickBatchSchedules, interval, async () => {
    await tickBatchSchedules();
  });
  await boss.schedule(QUEUES.tickBatchSchedules, '* * * * *', {});
}
