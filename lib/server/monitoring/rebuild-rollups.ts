import 'server-only';
import type pg from 'pg';
import { JOIN_LOCK } from './join-lock';
import { loadVersionShapes, type VersionShape } from './load-target';
import { inTransaction } from './pool';
import { RollupDeltas, type StoredRecord } from './rollups';
import { db } from '@/lib/db';

/**
 * Rollups of a model (or one of its versions) computed from scratch out of the raw rows and
 * the labels joined to them — what the incremental deltas must always add up to.
 */
export async function recomputeRollups(client: pg.ClientBase, modelId: string, versionId?: string): Promise<RollupDeltas> {
  const model = await db().model.findUniqueOrThrow({ where: { id: modelId }, select: { task: true } });
  const shapes = new Map<string, VersionShape>(
    (await loadVersionShapes(modelId, versionId ? { ids: [versionId] } : {})).map((shape) => [shape.id, shape]),
  );
  const deltas = new RollupDeltas();
  const { rows } = await client.query<{
    record_id: string;
    ts: Date;
    environment_id: string;
    version_id: string;
    num_values: (number | null)[] | null;
    cat_values: (string | null)[] | null;
    pred_num: number | null;
    pred_label: string | null;
    score: number | null;
    latency_ms: number | null;
    error: string | null;
    label_num: number | null;
    label_text: string | null;
  }>(
    `SELECT p.record_id, p.ts, p.environment_id, p.version_id, p.num_values, p.cat_values, p.pred_num, p.pred_label,
            p.score, p.latency_ms, p.error, l.label_num, l.label_text
     FROM monitoring_predictions p
     LEFT JOIN monitoring_record_ids i ON i.model_id = p.model_id AND i.record_id = p.record_id
     LEFT JOIN monitoring_labels l ON l.model_id = i.model_id AND l.record_id = i.record_id
     WHERE p.model_id = $1 AND ($2::uuid IS NULL OR p.version_id = $2::uuid)`,
    [modelId, versionId ?? null],
  );
  for (const row of rows) {
    const record: StoredRecord = {
      recordId: row.record_id,
      ts: row.ts,
      environmentId: row.environment_id,
      versionId: row.version_id,
      num: row.num_values ?? [],
      cat: row.cat_values ?? [],
      predNum: row.pred_num,
      predLabel: row.pred_label,
      score: row.score,
      latencyMs: row.latency_ms,
      error: row.error,
    };
    deltas.addRecord(record, shapes.get(row.version_id)!);
    if (row.label_text !== null) deltas.addLabel(record, { labelNum: row.label_num, labelText: row.label_text }, model.task);
  }
  return deltas;
}

/**
 * Replaces a version's rollups with a recomputation — after its reference changes, since the
 * histogram cells are counted on the reference's bins. Holds the model's join lock
 * exclusively, so no batch adds deltas between the recomputation and the swap.
 */
export async function rebuildRollups(modelId: string, versionId: string): Promise<number> {
  return inTransaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [JOIN_LOCK, modelId]);
    const deltas = await recomputeRollups(client, modelId, versionId);
    await client.query('DELETE FROM monitoring_rollups WHERE model_id = $1 AND version_id = $2', [modelId, versionId]);
    await client.query('DELETE FROM monitoring_rollups_daily WHERE model_id = $1 AND version_id = $2', [modelId, versionId]);
    await deltas.apply(client, modelId);
    return deltas.size;
  });
}
