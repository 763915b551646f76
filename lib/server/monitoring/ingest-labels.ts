import 'server-only';
import { queueSeriesEvaluation } from '@/lib/server/alerts/queue-series-evaluation';
import type pg from 'pg';
import type { RequestContext } from '@/lib/server/context';
import { logger } from '@/lib/server/logger';
import { ZLabelHeader, ZLabelRecord, type LabelRecordInput } from '@/lib/validation/monitoring';
import { parseHeaderOrThrow, RecordErrors } from './invalid-records';
import { JOIN_LOCK } from './join-lock';
import { findModelTargetOrThrow, type ModelTarget } from './load-target';
import { inTransaction } from './pool';
import { MalformedLine, type IngestBody } from './read-ingest-body';
import { RollupDeltas, type JoinedPrediction, type StoredLabel } from './rollups';

export interface LabelResult {
  accepted: number;
  duplicates: number;
}

/** Booleans are the classes "1" and "0"; numbers keep their value for regression errors. */
export function storedLabel(label: LabelRecordInput['label']): StoredLabel {
  if (typeof label === 'boolean') return { labelNum: label ? 1 : 0, labelText: label ? '1' : '0' };
  if (typeof label === 'number') return { labelNum: label, labelText: String(label) };
  return { labelNum: null, labelText: label };
}

/**
 * Stores ground truth by record id, whether its prediction came first or not. A label for a
 * stored prediction adds its label-joined rollup deltas now; one for an id not seen yet waits
 * in monitoring_labels and is joined when the prediction arrives. The first label for an id
 * is kept; a repeat (a retry) changes nothing. Data plane, so not audited (see ingestPredictions).
 */
export async function ingestLabels(ctx: RequestContext, body: IngestBody): Promise<LabelResult> {
  const header = parseHeaderOrThrow(ZLabelHeader, body.header);
  const model = await findModelTargetOrThrow(header.model);
  const errors = new RecordErrors();
  if (body.records.length === 0) errors.add(0, null, 'Send at least one label.');
  const labels = new Map<string, StoredLabel>();
  body.records.forEach((raw, index) => {
    if (raw instanceof MalformedLine) return errors.add(index, null, 'This line is not valid JSON.');
    const parsed = ZLabelRecord.safeParse(raw);
    if (!parsed.success) return errors.addZod(index, parsed.error, raw);
    if (!labels.has(parsed.data.id)) labels.set(parsed.data.id, storedLabel(parsed.data.label));
  });
  errors.throwIfAny(body.records.length);
  const stored = await inTransaction(async (client) => {
    const fresh = await storeLabels(client, model, labels);
    if (fresh > 0) await queueSeriesEvaluation(client, { modelId: model.id });
    return fresh;
  });
  logger().debug({ requestId: ctx.requestId, actorId: ctx.actor.id, model: model.name, stored }, 'labels ingested');
  return { accepted: body.records.length, duplicates: body.records.length - stored };
}

async function storeLabels(client: pg.ClientBase, model: ModelTarget, labels: Map<string, StoredLabel>): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [JOIN_LOCK, model.id]);
  const ids = [...labels.keys()];
  const { rows: inserted } = await client.query<{ record_id: string }>(
    `INSERT INTO monitoring_labels (model_id, record_id, label_num, label_text)
     SELECT $1::uuid, t.* FROM unnest($2::text[], $3::float8[], $4::text[]) AS t(record_id, label_num, label_text)
     ON CONFLICT (model_id, record_id) DO NOTHING
     RETURNING record_id`,
    [model.id, ids, ids.map((id) => labels.get(id)!.labelNum), ids.map((id) => labels.get(id)!.labelText)],
  );
  if (inserted.length === 0) return 0;
  const { rows: predictions } = await client.query<{
    record_id: string;
    ts: Date;
    environment_id: string;
    version_id: string;
    pred_num: number | null;
    pred_label: string | null;
    score: number | null;
  }>(
    `SELECT record_id, ts, environment_id, version_id, pred_num, pred_label, score
     FROM monitoring_record_ids WHERE model_id = $1 AND record_id = ANY($2::text[])`,
    [model.id, inserted.map((row) => row.record_id)],
  );
  const deltas = new RollupDeltas();
  for (const row of predictions) {
    const prediction: JoinedPrediction = {
      ts: row.ts,
      environmentId: row.environment_id,
      versionId: row.version_id,
      predNum: row.pred_num,
      predLabel: row.pred_label,
      score: row.score,
    };
    deltas.addLabel(prediction, labels.get(row.record_id)!, model.task);
  }
  await deltas.apply(client, model.id);
  return inserted.length;
}
