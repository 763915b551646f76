import 'server-only';
import { db } from '@/lib/db';
import { logger } from '@/lib/server/logger';
import { dayOf, dropPartitionsBefore, ensurePartitions, listDayPartitions } from './partitions';
import { monitoringPool } from './pool';

const DAY = 86_400_000;
/** Days ahead whose partitions the maintenance job keeps ready, so live traffic never creates one. */
export const PARTITION_DAYS_AHEAD = 2;

export interface RetentionResult {
  model: string;
  droppedPartitions: string[];
  deletedIds: number;
  deletedLabels: number;
  /** Hourly and daily rollup rows deleted. */
  deletedRollups: number;
}

/**
 * Enforces one model's retention: everything before the start of the day `retentionDays` ago
 * goes. Raw records go by dropping their daily tables (no row-by-row DELETE, no bloat); the
 * narrow id, label and rollup rows older than that are deleted by index range.
 */
export async function applyRetention(model: { id: string; name: string; monitoringRetentionDays: number }, now = Date.now()): Promise<RetentionResult> {
  const cutoff = new Date(dayOf(now - model.monitoringRetentionDays * DAY));
  const droppedPartitions = await dropPartitionsBefore(model.id, cutoff);
  const pool = monitoringPool();
  const ids = await pool.query('DELETE FROM monitoring_record_ids WHERE model_id = $1 AND ts < $2', [model.id, cutoff]);
  const labels = await pool.query('DELETE FROM monitoring_labels WHERE model_id = $1 AND received_at < $2', [model.id, cutoff]);
  const rollups = await pool.query('DELETE FROM monitoring_rollups WHERE model_id = $1 AND bucket < $2', [model.id, cutoff]);
  // The cutoff is a day start, so whole days go, as their hours did.
  const dailyRollups = await pool.query('DELETE FROM monitoring_rollups_daily WHERE model_id = $1 AND bucket < $2', [model.id, cutoff]);
  return {
    model: model.name,
    droppedPartitions,
    deletedIds: ids.rowCount ?? 0,
    deletedLabels: labels.rowCount ?? 0,
    deletedRollups: (rollups.rowCount ?? 0) + (dailyRollups.rowCount ?? 0),
  };
}

/**
 * The periodic maintenance job: for every model that has sent records, create the coming
 * days' partitions and apply its retention. Idempotent, so a retried or duplicated run is harmless.
 */
export async function maintainMonitoring(now = Date.now()): Promise<RetentionResult[]> {
  const models = await db().model.findMany({ select: { id: true, name: true, monitoringRetentionDays: true } });
  const results: RetentionResult[] = [];
  for (const model of models) {
    if ((await listDayPartitions(model.id)).length === 0) continue;
    const today = dayOf(now);
    await ensurePartitions(
      model.id,
      Array.from({ length: PARTITION_DAYS_AHEAD + 1 }, (_, i) => today + i * DAY),
    );
    const result = await applyRetention(model, now);
    if (result.droppedPartitions.length > 0) logger().info(result, 'monitoring retention applied');
    results.push(result);
  }
  return results;
}
