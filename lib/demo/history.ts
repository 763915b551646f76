import type { FeatureShift } from './datasets';
import { createRandom, mulberry32 } from './random';

/**
 * The plan of the demo's monitoring history, pure and deterministic: how many predictions
 * each model gets in each hour, their record ids, which drift when, when each label arrives.
 * lib/server/demo/generate-demo-history.ts runs the real models on it and sends the results
 * through the ingestion use cases. Same inputs, same plan: a rerun finds every id stored.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** One model drifts: from the middle of the history its customers' bills are a third higher. */
export const HISTORY_DRIFT: { model: string; shift: FeatureShift } = {
  model: 'churn-predictor',
  shift: { feature: 'monthly_charges', factor: 1.35 },
};

/** Share of predictions whose ground truth ever arrives; the rest never get a label. */
export const LABEL_SHARE = 0.85;
/** Labels arrive this many hours after their prediction (uniform between the two). */
export const LABEL_DELAY_HOURS = [2, 30] as const;
/** Records per model and hour, at the quietest and the busiest hour of the day. */
export const HOURLY_VOLUME = [20, 60] as const;

/** A stable 32-bit hash of a string (FNV-1a), to seed per-model streams. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** The seed of one model's hour: the same rows, predictions and labels on every run. */
export function hourSeed(model: string, hourStart: number): number {
  return (hashString(model) ^ Math.floor(hourStart / HOUR)) >>> 0;
}

/** Predictions in one hour: a daily cycle (busy in the afternoon, quiet at night) with noise. */
export function hourlyVolume(model: string, hourStart: number): number {
  const hourOfDay = new Date(hourStart).getUTCHours();
  const cycle = 0.5 - 0.5 * Math.cos((2 * Math.PI * (hourOfDay - 3)) / 24);
  const noise = 0.85 + 0.3 * mulberry32(hourSeed(model, hourStart) ^ 0x5bd1e995)();
  const [low, high] = HOURLY_VOLUME;
  return Math.max(low, Math.min(high, Math.round((low + (high - low) * cycle) * noise)));
}

/** Record ids name model and hour, so a retried or resumed run stores nothing twice. */
export function historyRecordId(model: string, hourStart: number, index: number): string {
  return `demo-${model}-${new Date(hourStart).toISOString().slice(0, 13).replace(/[-T]/g, '')}-${index}`;
}

export interface PlannedRecord {
  id: string;
  timestamp: number;
  latencyMs: number;
  /** When its ground truth arrives; null when it never does. */
  labelAt: number | null;
}

/** The records of one model's hour, without features (the sampler draws those). */
export function planHour(model: string, hourStart: number): PlannedRecord[] {
  const count = hourlyVolume(model, hourStart);
  const random = createRandom(hourSeed(model, hourStart) ^ 0x27d4eb2f);
  const [minDelay, maxDelay] = LABEL_DELAY_HOURS;
  return Array.from({ length: count }, (_, index) => {
    const timestamp = hourStart + Math.floor(((index + random.uniform()) / count) * HOUR);
    const labelled = random.uniform() < LABEL_SHARE;
    const delay = (minDelay + (maxDelay - minDelay) * random.uniform()) * HOUR;
    // A model server on the same host: a few milliseconds, now and then a slow one.
    const latencyMs = Math.round(Math.min(250, random.logNormal(1.2, 0.45) + (random.uniform() < 0.01 ? 40 : 0)) * 100) / 100;
    return { id: historyRecordId(model, hourStart, index), timestamp, latencyMs, labelAt: labelled ? timestamp + delay : null };
  });
}

/** The shifts in force at `at`: the drifting model's from the middle of the history on. */
export function shiftsAt(model: string, at: number, window: { from: number; to: number }): FeatureShift[] {
  const middle = window.from + Math.floor((window.to - window.from) / 2 / DAY) * DAY;
  return model === HISTORY_DRIFT.model && at >= middle ? [HISTORY_DRIFT.shift] : [];
}
