import 'server-only';
import type pg from 'pg';
import { getBoss, QUEUES } from '@/lib/server/jobs/queue';

/** Seconds during which further batches for one series share a single evaluation. */
export const SERIES_EVALUATION_THROTTLE_SECONDS = 10;

export interface SeriesEvaluation {
  modelId: string;
  /** Absent for labels, which name no environment: every environment of the model. */
  environmentId?: string;
}

/**
 * Queues an evaluation of the rules watching a series, in the ingestion's own transaction (the
 * job exists exactly when the records do). Debounced per series with a pg-boss singleton key:
 * a burst of batches yields one job per throttle slot plus one for the slot after, so records
 * committed while a run is underway are still evaluated. Series without enabled rules queue
 * nothing. The minute schedule remains the backstop.
 */
export async function queueSeriesEvaluation(client: pg.ClientBase, series: SeriesEvaluation): Promise<void> {
  const { rows } = await client.query(
    `SELECT 1 FROM alert_rules WHERE "modelId" = $1::uuid AND enabled AND ($2::uuid IS NULL OR "environmentId" = $2::uuid) LIMIT 1`,
    [series.modelId, series.environmentId ?? null],
  );
  if (rows.length === 0) return;
  const boss = await getBoss();
  await boss.send(QUEUES.evaluateAlerts, { modelId: series.modelId, environmentId: series.environmentId }, {
    singletonKey: `series:${series.modelId}:${series.environmentId ?? '*'}`,
    singletonSeconds: SERIES_EVALUATION_THROTTLE_SECONDS,
    singletonNextSlot: true,
    db: { executeSql: async (text: string, values: unknown[]) => ({ rows: (await client.query(text, values)).rows }) },
  });
}
