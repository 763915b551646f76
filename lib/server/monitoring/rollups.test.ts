import { describe, expect, it } from 'vitest';
import { numericReferenceProfile } from '@/lib/stats/drift-counts';
import { latencyBucket } from './latency-buckets';
import type { FeatureSlot, VersionShape } from './load-target';
import { RollupDeltas, sumPerDay, type StoredRecord } from './rollups';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 21, 8);
const slots: FeatureSlot[] = [
  { name: 'age', type: 'numeric', sensitive: false, index: 0 },
  { name: 'zero', type: 'numeric', sensitive: false, index: 1 },
  { name: 'plan', type: 'categorical', sensitive: false, index: 0 },
];
// Reference ages 1…10: decile edges 1.9, 2.8, …, 9.1, so an age of 5 is in bin 4.
const shape: VersionShape = {
  id: 'v1',
  version: 1,
  numeric: slots.slice(0, 2),
  categorical: slots.slice(2),
  byName: new Map(slots.map((s) => [s.name, s])),
  profiles: { age: { type: 'numeric', profile: numericReferenceProfile(Float64Array.from({ length: 10 }, (_, i) => i + 1)) } },
};

function record(ts: number, fields: Partial<StoredRecord> = {}): StoredRecord {
  return {
    recordId: `r-${ts}`,
    ts: new Date(ts),
    environmentId: 'prod',
    versionId: 'v1',
    num: [5, 0],
    cat: ['pro'],
    predNum: null,
    predLabel: 'churn',
    score: 0.75,
    latencyMs: 12,
    error: null,
    ...fields,
  };
}

const key = (env: string, hour: number, series: string, cell: string) => `${env}\u0000v1\u0000${hour}\u0000${series}\u0000${cell}`;

describe('RollupDeltas', () => {
  it('sums each touched cell per environment, version and hour, whatever order the records come in', () => {
    const deltas = new RollupDeltas();
    // Interleaved hours and environments: each record must land in its own bucket.
    deltas.addRecord(record(T0), shape);
    deltas.addRecord(record(T0 + HOUR + 1, { num: [null, 0], cat: [null], error: 'boom', latencyMs: null }), shape);
    deltas.addRecord(record(T0 + 10, { num: [9.5, 0], cat: ['free'], predLabel: null, score: null, predNum: null }), shape);
    deltas.addRecord(record(T0 + 20, { environmentId: 'staging' }), shape);

    const lat = `lat:${latencyBucket(12)}`;
    expect(Object.fromEntries([...deltas.cells].map(([k, v]) => [k.replaceAll('\u0000', ' '), v]))).toEqual(
      Object.fromEntries(
        [
          [key('prod', T0, 'records', 'n'), 2],
          [key('prod', T0, 'records', lat), 2],
          [key('prod', T0, 'records', 'lat_sum'), 24],
          [key('prod', T0, 'f:age', 'n'), 2],
          [key('prod', T0, 'f:age', 'sum'), 14.5],
          [key('prod', T0, 'f:age', 'sumsq'), 25 + 90.25],
          [key('prod', T0, 'f:age', 'bin:4'), 1],
          [key('prod', T0, 'f:age', 'bin:9'), 1],
          // A feature without a reference has no bins; a sum of zero is still a cell.
          [key('prod', T0, 'f:zero', 'n'), 2],
          [key('prod', T0, 'f:zero', 'sum'), 0],
          [key('prod', T0, 'f:zero', 'sumsq'), 0],
          [key('prod', T0, 'f:plan', 'n'), 2],
          [key('prod', T0, 'f:plan', 'cat:pro'), 1],
          [key('prod', T0, 'f:plan', 'cat:free'), 1],
          [key('prod', T0, 'prediction', 'n'), 1],
          [key('prod', T0, 'prediction', 'sum'), 0.75],
          [key('prod', T0, 'prediction', 'sumsq'), 0.5625],
          [key('prod', T0, 'prediction_label', 'n'), 1],
          [key('prod', T0, 'prediction_label', 'cat:churn'), 1],
          // The next hour: nulls are counted, and only the cells they touch exist.
          [key('prod', T0 + HOUR, 'records', 'n'), 1],
          [key('prod', T0 + HOUR, 'records', 'error'), 1],
          [key('prod', T0 + HOUR, 'f:age', 'null'), 1],
          [key('prod', T0 + HOUR, 'f:zero', 'n'), 1],
          [key('prod', T0 + HOUR, 'f:zero', 'sum'), 0],
          [key('prod', T0 + HOUR, 'f:zero', 'sumsq'), 0],
          [key('prod', T0 + HOUR, 'f:plan', 'null'), 1],
          [key('prod', T0 + HOUR, 'prediction', 'n'), 1],
          [key('prod', T0 + HOUR, 'prediction', 'sum'), 0.75],
          [key('prod', T0 + HOUR, 'prediction', 'sumsq'), 0.5625],
          [key('prod', T0 + HOUR, 'prediction_label', 'n'), 1],
          [key('prod', T0 + HOUR, 'prediction_label', 'cat:churn'), 1],
          [key('staging', T0, 'records', 'n'), 1],
          [key('staging', T0, 'records', lat), 1],
          [key('staging', T0, 'records', 'lat_sum'), 12],
          [key('staging', T0, 'f:age', 'n'), 1],
          [key('staging', T0, 'f:age', 'sum'), 5],
          [key('staging', T0, 'f:age', 'sumsq'), 25],
          [key('staging', T0, 'f:age', 'bin:4'), 1],
          [key('staging', T0, 'f:zero', 'n'), 1],
          [key('staging', T0, 'f:zero', 'sum'), 0],
          [key('staging', T0, 'f:zero', 'sumsq'), 0],
          [key('staging', T0, 'f:plan', 'n'), 1],
          [key('staging', T0, 'f:plan', 'cat:pro'), 1],
          [key('staging', T0, 'prediction', 'n'), 1],
          [key('staging', T0, 'prediction', 'sum'), 0.75],
          [key('staging', T0, 'prediction', 'sumsq'), 0.5625],
          [key('staging', T0, 'prediction_label', 'n'), 1],
          [key('staging', T0, 'prediction_label', 'cat:churn'), 1],
        ].map(([k, v]) => [(k as string).replaceAll('\u0000', ' '), v]),
      ),
    );
    expect(deltas.size).toBe(deltas.cells.size);
  });

  it('counts a joined label in its prediction’s hour, next to the record’s own cells', () => {
    const deltas = new RollupDeltas();
    const prediction = record(T0 + 5);
    deltas.addRecord(prediction, shape);
    deltas.addLabel(prediction, { labelNum: null, labelText: 'stay' }, 'classification');
    deltas.addLabel(record(T0 + HOUR), { labelNum: null, labelText: 'churn' }, 'classification');
    const cells = deltas.cells;
    expect(cells.get(key('prod', T0, 'labels', 'n'))).toBe(1);
    expect(cells.get(key('prod', T0, 'labels', 'cm:churn|stay'))).toBe(1);
    expect(cells.get(key('prod', T0, 'labels', 'score:stay|15'))).toBe(1);
    expect(cells.get(key('prod', T0, 'records', 'n'))).toBe(1);
    expect(cells.get(key('prod', T0 + HOUR, 'labels', 'cm:churn|churn'))).toBe(1);
    expect(cells.get(key('prod', T0 + HOUR, 'records', 'n'))).toBeUndefined();
    // Both hours fall on one UTC day.
    expect(sumPerDay(cells).get(key('prod', Date.UTC(2026, 10, 21), 'labels', 'n'))).toBe(2);
  });
});
