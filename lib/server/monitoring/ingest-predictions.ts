import 'server-only';
import { queueSeriesEvaluation } from '@/lib/server/alerts/queue-series-evaluation';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { RequestContext } from '@/lib/server/context';
import { logger } from '@/lib/server/logger';
import { ZPredictionHeader, MAX_FUTURE_SKEW_MS, type PredictionRecordInput, type PredictionValue } from '@/lib/validation/monitoring';
import { parseHeaderOrThrow, RecordErrors } from './invalid-records';
import { parsePredictionRecord } from './parse-prediction-record';
import { JOIN_LOCK } from './join-lock';
import {
  findEnvironmentIdOrThrow,
  findModelTargetOrThrow,
  findVersionShapeOrThrow,
  liveHistory,
  loadVersionShapes,
  type ModelTarget,
  type VersionShape,
} from './load-target';
import { dayOf, ensurePartitions } from './partitions';
import { inTransaction } from './pool';
import { MalformedLine, type IngestBody } from './read-ingest-body';
import { RollupDeltas, type StoredLabel, type StoredRecord } from './rollups';
import { hashCategory } from './sensitive';

const DAY = 86_400_000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

interface Checked {
  index: number;
  hasId: boolean;
  record: StoredRecord;
}

/**
 * Stores a batch of predictions, all or nothing, and returns once it is committed. Records
 * with an id already stored for the model are skipped (a retried batch stores nothing
 * twice); rollup deltas of the new records, and of their labels if those came first, are
 * applied in the same transaction, so rollups never count a record the raw tables lack.
 *
 * Not audited: this is the data plane (thousands of records per second); the hash-chained
 * audit log records control-plane changes such as reference uploads.
 */
export async function ingestPredictions(ctx: RequestContext, body: IngestBody): Promise<IngestResult> {
  const header = parseHeaderOrThrow(ZPredictionHeader, body.header);
  const model = await findModelTargetOrThrow(header.model);
  const environmentId = await findEnvironmentIdOrThrow(header.environment);
  const explicit = header.version === undefined ? null : await findVersionShapeOrThrow(model, header.version);
  if (body.records.length === 0) {
    const errors = new RecordErrors();
    errors.add(0, null, 'Send at least one record.');
    errors.throwIfAny(0);
  }

  const errors = new RecordErrors();
  const versionAt = explicit ? null : await liveHistory(model.id, environmentId);
  const now = Date.now();
  const oldest = dayOf(now - model.retentionDays * DAY);
  const pending: { index: number; input: PredictionRecordInput; ts: number; versionId: string }[] = [];
  body.records.forEach((raw, index) => {
    if (raw instanceof MalformedLine) {
      errors.add(index, null, 'This line is not valid JSON.');
      return;
    }
    const parsed = parsePredictionRecord(raw);
    if (!parsed.success) {
      errors.addZod(index, parsed.error, raw);
      return;
    }
    const ts = parsed.data.timestamp === undefined ? now : Date.parse(parsed.data.timestamp);
    if (ts < oldest) {
      errors.add(index, 'timestamp', `Older than ${model.name}'s monitoring retention of ${model.retentionDays} days.`);
      return;
    }
    if (ts > now + MAX_FUTURE_SKEW_MS) {
      errors.add(index, 'timestamp', 'More than an hour in the future; check the sender’s clock.');
      return;
    }
    const versionId = explicit?.id ?? versionAt!(ts);
    if (!versionId) {
      errors.add(
        index,
        'timestamp',
        `No version of ${model.name} was live in ${header.environment} at ${new Date(ts).toISOString()}; send "version" to name one.`,
      );
      return;
    }
    pending.push({ index, input: parsed.data, ts, versionId });
  });

  const shapes = new Map<string, VersionShape>();
  if (explicit) shapes.set(explicit.id, explicit);
  else for (const shape of await loadVersionShapes(model.id, { ids: [...new Set(pending.map((p) => p.versionId))] })) shapes.set(shape.id, shape);

  const checked: Checked[] = [];
  for (const item of pending) {
    const shape = shapes.get(item.versionId)!;
    const record = toStoredRecord(item.index, item.input, item.ts, environmentId, shape, errors);
    if (record) checked.push({ index: item.index, hasId: item.input.id !== undefined, record });
  }
  errors.throwIfAny(body.records.length);

  // Two records with one id in the same batch: the first one is the record.
  const seen = new Set<string>();
  const records = checked.filter((c) => !c.hasId || (!seen.has(c.record.recordId) && seen.add(c.record.recordId)));
  await ensurePartitions(model.id, records.map((c) => dayOf(c.record.ts)));
  const stored = await inTransaction((client) => storeBatch(client, model, environmentId, records, shapes));
  logger().debug({ requestId: ctx.requestId, actorId: ctx.actor.id, model: model.name, stored }, 'predictions ingested');
  return { accepted: body.records.length, duplicates: body.records.length - stored };
}

function toStoredRecord(
  index: number,
  input: PredictionRecordInput,
  ts: number,
  environmentId: string,
  shape: VersionShape,
  errors: RecordErrors,
): StoredRecord | null {
  const num: (number | null)[] = shape.numeric.map(() => null);
  const cat: (string | null)[] = shape.categorical.map(() => null);
  const unknown: string[] = [];
  let ok = true;
  for (const [name, value] of Object.entries(input.features)) {
    const slot = shape.byName.get(name);
    if (!slot) {
      unknown.push(name);
      continue;
    }
    if (value === null) continue;
    if (slot.type === 'numeric') {
      if (typeof value !== 'number') {
        errors.add(index, `features.${name}`, `v${shape.version} declares "${name}" numeric; got ${JSON.stringify(value)}.`);
        ok = false;
      } else {
        num[slot.index] = value;
      }
    } else {
      const text = String(value);
      cat[slot.index] = slot.sensitive ? hashCategory(text) : text;
    }
  }
  if (unknown.length > 0) {
    errors.add(
      index,
      'features',
      shape.byName.size === 0
        ? `v${shape.version} declares no feature schema, so it cannot take features (${unknown.join(', ')}); register the version with "features".`
        : `Not in v${shape.version}'s feature schema: ${unknown.join(', ')}.`,
    );
    ok = false;
  }
  if (!ok) return null;
  return {
    recordId: input.id ?? randomUUID(),
    ts: new Date(ts),
    environmentId,
    versionId: shape.id,
    num,
    cat,
    ...splitPrediction(input.prediction),
    latencyMs: input.latencyMs ?? null,
    error: input.error ?? null,
  };
}

function splitPrediction(prediction: PredictionValue): Pick<StoredRecord, 'predNum' | 'predLabel' | 'score'> {
  if (typeof prediction === 'number') return { predNum: prediction, predLabel: null, score: null };
  if (typeof prediction === 'string') return { predNum: null, predLabel: prediction, score: null };
  return { predNum: null, predLabel: String(prediction.label), score: prediction.score ?? null };
}

/**
 * Inserts the batch (inside the caller's transaction), queues the alert evaluation of its
 * series and applies its rollup deltas; returns how many records were new. The dedupe insert
 * into monitoring_record_ids, the raw insert of the rows it let through (and of records without
 * an id) and the lookup of labels that came first are one statement, and each column crosses
 * the wire once, as a hand-built array literal: pg's generic array serialisation (Date
 * formatting, per-element escaping) cost more Node time than the rest of the statement.
 */
async function storeBatch(client: pg.ClientBase, model: ModelTarget, environmentId: string, batch: Checked[], shapes: Map<string, VersionShape>): Promise<number> {
  // Shared: batches of predictions run side by side; a label batch (exclusive) waits, so a
  // prediction and its label committed concurrently can never miss each other.
  await client.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [JOIN_LOCK, model.id]);
  const records = batch.map((c) => c.record);
  const { rows } = await client.query<{ record_id: string; duplicate: boolean; label_num: number | null; label_text: string | null }>(
    `WITH batch AS MATERIALIZED (
       SELECT t.*, to_timestamp(t.ts_ms / 1000) AS ts
       FROM unnest($3::text[], $4::float8[], $5::uuid[], $6::text[], $7::text[], $8::float8[], $9::text[], $10::float8[],
                   $11::real[], $12::text[], $13::boolean[])
         AS t(record_id, ts_ms, version_id, num, cat, pred_num, pred_label, score, latency_ms, error, has_id)),
     inserted AS (
       INSERT INTO monitoring_record_ids (model_id, record_id, ts, environment_id, version_id, pred_num, pred_label, score)
       SELECT $1::uuid, b.record_id, b.ts, $2::uuid, b.version_id, b.pred_num, b.pred_label, b.score FROM batch b WHERE b.has_id
       ON CONFLICT (model_id, record_id) DO NOTHING
       RETURNING record_id),
     raw AS (
       INSERT INTO monitoring_predictions
         (model_id, ts, environment_id, version_id, record_id, num_values, cat_values, pred_num, pred_label, score, latency_ms, error)
       SELECT $1::uuid, b.ts, $2::uuid, b.version_id, b.record_id, b.num::float8[], b.cat::text[],
              b.pred_num, b.pred_label, b.score, b.latency_ms, b.error
       FROM batch b WHERE NOT b.has_id OR b.record_id IN (SELECT record_id FROM inserted))
     -- Only the exceptions come back: ids already stored (a retry), and labels that came first.
     SELECT b.record_id, true AS duplicate, NULL::float8 AS label_num, NULL::text AS label_text
     FROM batch b WHERE b.has_id AND b.record_id NOT IN (SELECT record_id FROM inserted)
     UNION ALL
     SELECT i.record_id, false, l.label_num, l.label_text
     FROM inserted i JOIN monitoring_labels l ON l.model_id = $1::uuid AND l.record_id = i.record_id`,
    [
      model.id,
      environmentId,
      textArray(records.map((r) => r.recordId)),
      // Milliseconds since the epoch: exact through to_timestamp, and far cheaper to format than dates.
      plainArray(records.map((r) => r.ts.getTime())),
      plainArray(records.map((r) => r.versionId)),
      // Each row's feature arrays go as one array literal inside a flat text[].
      nestedArray(records.map((r) => r.num)),
      nestedArray(records.map((r) => r.cat)),
      plainArray(records.map((r) => r.predNum)),
      textArray(records.map((r) => r.predLabel)),
      plainArray(records.map((r) => r.score)),
      plainArray(records.map((r) => r.latencyMs)),
      textArray(records.map((r) => r.error)),
      plainArray(batch.map((c) => c.hasId)),
    ],
  );
  const duplicates = new Set(rows.filter((row) => row.duplicate).map((row) => row.record_id));
  const fresh = batch.filter((c) => !c.hasId || !duplicates.has(c.record.recordId)).map((c) => c.record);
  if (fresh.length === 0) return 0;
  // Before the rollup upsert: the rollup rows it locks stay locked until commit, and concurrent
  // batches of the model wait on them, so nothing else should run in between.
  await queueSeriesEvaluation(client, { modelId: model.id, environmentId });

  const deltas = new RollupDeltas();
  for (const record of fresh) deltas.addRecord(record, shapes.get(record.versionId)!);
  // Labels that arrived before their predictions.
  const waiting = rows.filter((row): row is typeof row & { label_text: string } => !row.duplicate && row.label_text !== null);
  if (waiting.length > 0) {
    const byId = new Map(fresh.map((r) => [r.recordId, r]));
    for (const row of waiting) {
      const label: StoredLabel = { labelNum: row.label_num, labelText: row.label_text };
      deltas.addLabel(byId.get(row.record_id)!, label, model.task);
    }
  }
  await deltas.apply(client, model.id);
  return fresh.length;
}

/**
 * A text[] literal whose elements are the rows' own array literals (numbers in their shortest
 * exact form, strings quoted), built in one pass: each string is escaped for the inner literal
 * and that again for the outer one.
 */
function nestedArray(rows: readonly (readonly (number | string | null)[])[]): string {
  let out = '{';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    out += r > 0 ? ',"{' : '"{';
    for (let i = 0; i < row.length; i++) {
      const v = row[i]!;
      if (i > 0) out += ',';
      if (v === null) out += 'NULL';
      else if (typeof v === 'number') out += String(v);
      // Inner quotes are \" in the outer literal; an inner \\ or \" becomes \\\\ or \\\".
      else out += `\\"${v.includes('"') || v.includes('\\') ? v.replace(/\\/g, '\\\\\\\\').replace(/"/g, '\\\\\\"') : v}\\"`;
    }
    out += '}"';
  }
  return out + '}';
}

/** An array literal of values that never need quoting: numbers, booleans, uuids. */
function plainArray(values: readonly (number | boolean | string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ',';
    out += v === null ? 'NULL' : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  }
  return out + '}';
}

function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ',';
    out += v === null ? 'NULL' : quoteElement(v);
  }
  return out + '}';
}

/** Quoted, so that "NULL", "" and values with commas or braces stay strings. */
function quoteElement(value: string): string {
  if (value.includes('"') || value.includes('\\')) return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  return `"${value}"`;
}
