import 'server-only';
import { logger } from '@/lib/server/logger';
import { deployRelease, failRelease } from '@/lib/server/promotions/deploy-release';
import { deliverWebhook } from '@/lib/server/webhooks/deliver-webhook';
import { getBoss, QUEUES } from './queue';

interface JobWithMetadata<T> {
  id: string;
  data: T;
  retryCount: number;
  retryLimit: number;
}

/** Registers the workers of this process (the Next.js server starts them at boot). */
export async function startWorkers(options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
  const boss = await getBoss();
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, includeMetadata: true as const };

  await boss.work<{ releaseId: string }>(QUEUES.deployRelease, polling, async ([job]) => {
    if (!job) return;
    const { data, retryCount, retryLimit } = job as unknown as JobWithMetadata<{ releaseId: string }>;
    try {
      await deployRelease(data.releaseId);
    } catch (error) {
      logger().error({ err: error, releaseId: data.releaseId, attempt: retryCount + 1 }, 'release deployment failed');
      if (retryCount >= retryLimit) await failRelease(data.releaseId, error instanceof Error ? error.message : String(error));
      throw error;
    }
  });

  await boss.work<{ deliveryId: string }>(QUEUES.deliverWebhook, polling, async ([job]) => {
    if (!job) return;
    const { data, retryCount, retryLimit } = job as unknown as JobWithMetadata<{ deliveryId: string }>;
    await deliverWebhook(data.deliveryId, { final: retryCount >= retryLimit });
  });
}
