import 'server-only';
import type { Tx } from '@/lib/db';

/**
 * Serialises everything that changes what is live for one model in one environment
 * (going live, rollback), even when nothing is live yet and there is no row to lock.
 * Taken before the audit chain lock, like every row lock.
 */
export async function lockLane(tx: Tx, modelId: string, environmentId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`lane:${modelId}:${environmentId}`}, 0))`;
}
