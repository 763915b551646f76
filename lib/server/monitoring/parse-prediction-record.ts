import 'server-only';
import type { ZodError } from 'zod';
import { ZPredictionRecord, type PredictionRecordInput } from '@/lib/validation/monitoring';

const ZTimestampField = ZPredictionRecord.shape.timestamp;
const RECORD_KEYS = new Set(['id', 'timestamp', 'features', 'prediction', 'latencyMs', 'error']);

/**
 * Validates one prediction record against `ZPredictionRecord`. Batches run to 10,000 records,
 * and zod's generic walk over each record's feature map (a union per value) was a fifth of the
 * ingestion's Node time, so records of the ordinary shape are checked by hand first; anything
 * the hand check does not vouch for goes through zod, which alone words the errors. The hand
 * check only ever accepts what zod accepts, with the same result (tested side by side).
 */
export function parsePredictionRecord(raw: unknown): { success: true; data: PredictionRecordInput } | { success: false; error: ZodError } {
  const fast = checkPredictionRecord(raw);
  if (fast) return { success: true, data: fast };
  return ZPredictionRecord.safeParse(raw);
}

/** The record itself when it is plainly valid; null when zod must decide. */
export function checkPredictionRecord(raw: unknown): PredictionRecordInput | null {
  if (!isPlainObject(raw)) return null;
  for (const key in raw) if (!RECORD_KEYS.has(key)) return null;
  const { id, timestamp, features, prediction, latencyMs, error } = raw;
  if (id !== undefined && !isText(id, 1, 200)) return null;
  if (latencyMs !== undefined && !(isFiniteNumber(latencyMs) && latencyMs >= 0 && latencyMs <= 86_400_000)) return null;
  if (error !== undefined && !isText(error, 0, 2000)) return null;
  if (!isPlainObject(features)) return null;
  for (const name in features) {
    // "__proto__" is left to zod: copying it into a new object behaves differently.
    if (!isText(name, 1, 200) || name === '__proto__') return null;
    const value = features[name];
    if (!(value === null || isFiniteNumber(value) || isText(value, 0, 1000))) return null;
  }
  if (!isPrediction(prediction)) return null;
  if (timestamp !== undefined && !ZTimestampField.safeParse(timestamp).success) return null;
  return raw as unknown as PredictionRecordInput;
}

function isPrediction(value: unknown): boolean {
  if (isFiniteNumber(value)) return true;
  if (typeof value === 'string') return isText(value, 1, 200);
  if (!isPlainObject(value)) return false;
  for (const key in value) if (key !== 'label' && key !== 'score') return false;
  const { label, score } = value;
  const labelOk = isFiniteNumber(label) || isText(label, 1, 200);
  return labelOk && (score === undefined || (isFiniteNumber(score) && score >= 0 && score <= 1));
}

/** A string zod's `stored` text accepts: within the lengths, no NUL character. */
function isText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max && !value.includes('\u0000');
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
