import { describe, expect, it } from 'vitest';
import { ZPredictionRecord } from '@/lib/validation/monitoring';
import { checkPredictionRecord, parsePredictionRecord } from './parse-prediction-record';

const valid: unknown[] = [
  { features: {}, prediction: 1 },
  { id: 'r-1', features: { age: 31, plan: 'pro', note: null }, prediction: { label: 'churn', score: 0.75 }, latencyMs: 0 },
  { id: 'x'.repeat(200), timestamp: '2026-11-21T08:00:00Z', features: { a: -1.5e-7 }, prediction: 'stay', error: '' },
  { timestamp: '2026-11-21T08:00:00.123+02:00', features: { ['f'.repeat(200)]: 'v'.repeat(1000) }, prediction: { label: 3 } },
  { features: { a: 0 }, prediction: { label: 'x', score: 1 }, latencyMs: 86_400_000, error: 'e'.repeat(2000) },
];

/** Each applied to a valid record: what a sender gets wrong. */
const mutations: ((r: Record<string, unknown>) => unknown)[] = [
  () => null,
  () => [],
  () => 'record',
  (r) => ({ ...r, extra: 1 }),
  (r) => ({ ...r, id: '' }),
  (r) => ({ ...r, id: 'x'.repeat(201) }),
  (r) => ({ ...r, id: 7 }),
  (r) => ({ ...r, id: null }),
  (r) => ({ ...r, timestamp: '2026-11-21 08:00' }),
  (r) => ({ ...r, timestamp: '2026-11-21T08:00:00' }),
  (r) => ({ ...r, timestamp: 1_763_712_000_000 }),
  (r) => ({ ...r, features: null }),
  (r) => ({ ...r, features: [1, 2] }),
  (r) => ({ ...r, features: undefined }),
  (r) => ({ ...r, features: { '': 1 } }),
  (r) => ({ ...r, features: { ['f'.repeat(201)]: 1 } }),
  (r) => ({ ...r, features: { a: true } }),
  (r) => ({ ...r, features: { a: { nested: 1 } } }),
  (r) => ({ ...r, features: { a: [1] } }),
  (r) => ({ ...r, features: { a: 'v'.repeat(1001) } }),
  (r) => ({ ...r, features: JSON.parse('{"__proto__": 1, "a": 2}') }),
  (r) => ({ ...r, prediction: undefined }),
  (r) => ({ ...r, prediction: null }),
  (r) => ({ ...r, prediction: '' }),
  (r) => ({ ...r, prediction: 'p'.repeat(201) }),
  (r) => ({ ...r, prediction: true }),
  (r) => ({ ...r, prediction: [1] }),
  (r) => ({ ...r, prediction: { label: '' } }),
  (r) => ({ ...r, prediction: { label: null } }),
  (r) => ({ ...r, prediction: { score: 0.5 } }),
  (r) => ({ ...r, prediction: { label: 'a', score: 1.01 } }),
  (r) => ({ ...r, prediction: { label: 'a', score: -0.01 } }),
  (r) => ({ ...r, prediction: { label: 'a', score: '0.5' } }),
  (r) => ({ ...r, prediction: { label: 'a', confidence: 0.5 } }),
  (r) => ({ ...r, latencyMs: -1 }),
  (r) => ({ ...r, latencyMs: 86_400_001 }),
  (r) => ({ ...r, latencyMs: '12' }),
  (r) => ({ ...r, latencyMs: Number.POSITIVE_INFINITY }),
  (r) => ({ ...r, features: { a: Number.NaN } }),
  (r) => ({ ...r, error: 'e'.repeat(2001) }),
  (r) => ({ ...r, error: false }),
];

describe('parsePredictionRecord', () => {
  it('vouches for ordinary valid records by hand, with what zod would return', () => {
    for (const record of valid) {
      const zod = ZPredictionRecord.safeParse(record);
      expect(zod.success, JSON.stringify(record).slice(0, 80)).toBe(true);
      expect(checkPredictionRecord(record)).toEqual(zod.data);
    }
  });

  it('never accepts what zod rejects, and leaves zod to word the error', () => {
    let rejected = 0;
    for (const base of valid) {
      for (const mutate of mutations) {
        const record = mutate(base as Record<string, unknown>);
        const zod = ZPredictionRecord.safeParse(record);
        const fast = checkPredictionRecord(record);
        if (fast !== null) {
          expect(zod.success, JSON.stringify(record)?.slice(0, 120)).toBe(true);
          expect(fast).toEqual(zod.data);
        }
        const parsed = parsePredictionRecord(record);
        expect(parsed.success).toBe(zod.success);
        if (!parsed.success) {
          rejected++;
          expect(parsed.error.issues).toEqual(zod.error!.issues);
        }
      }
    }
    // Nearly every mutation is an error; the few that are not (e.g. a null id stays invalid) are checked above.
    expect(rejected).toBeGreaterThan(mutations.length * valid.length * 0.8);
  });

  it('agrees with zod on random records mixing valid and invalid fields', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(values: T[]): T => values[Math.floor(random() * values.length)]!;
    const scalars = [0, -1, 1.5, 1e21, 86_400_000, 86_400_001, '', 'a', 'x'.repeat(201), null, true, [], {}, { label: 'a' }, { label: 'a', score: 0.3 }];
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const record: Record<string, unknown> = {};
      for (const key of ['id', 'timestamp', 'features', 'prediction', 'latencyMs', 'error', 'other']) {
        if (random() < 0.4) continue;
        if (key === 'features') record[key] = random() < 0.8 ? Object.fromEntries(Array.from({ length: 3 }, (_, k) => [pick(['a', 'b', '', `f${k}`]), pick(scalars)])) : pick(scalars);
        else if (key === 'timestamp') record[key] = pick(['2026-11-21T08:00:00Z', '2026-11-21', 5, null]);
        else if (key !== 'other' || random() < 0.2) record[key] = pick(scalars);
      }
      const zod = ZPredictionRecord.safeParse(record);
      const fast = checkPredictionRecord(record);
      if (fast !== null) {
        accepted++;
        expect(zod.success, JSON.stringify(record)).toBe(true);
        expect(fast).toEqual(zod.data);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});
