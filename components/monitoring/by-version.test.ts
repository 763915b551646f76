import { describe, expect, it } from 'vitest';
import { byVersion, MIN_LABELED_POINT, type Performance } from './by-version';

const performance: Performance = {
  from: '2026-11-21T10:00:00.000Z',
  to: '2026-11-21T13:00:00.000Z',
  bucket: '1h',
  versions: [
    {
      version: 1,
      points: [
        { t: '2026-11-21T10:00:00.000Z', count: 50, labeled: 40, accuracy: 0.8, latencyP95Ms: 12 },
        { t: '2026-11-21T11:00:00.000Z', count: 50, labeled: 2, accuracy: 0, latencyP95Ms: 14 },
        { t: '2026-11-21T12:00:00.000Z', count: 0, labeled: 0, accuracy: null, latencyP95Ms: null },
      ],
    },
    {
      version: 2,
      points: [
        { t: '2026-11-21T10:00:00.000Z', count: 10, labeled: MIN_LABELED_POINT, accuracy: 0.9, latencyP95Ms: 9 },
        { t: '2026-11-21T11:00:00.000Z', count: 10, labeled: MIN_LABELED_POINT - 1, accuracy: 1, latencyP95Ms: 8 },
        { t: '2026-11-21T12:00:00.000Z', count: 5, labeled: 0, accuracy: null, latencyP95Ms: 7 },
      ],
    },
  ],
};

describe('byVersion', () => {
  it('puts versions side by side per bucket, an empty bucket as a gap', () => {
    expect(byVersion(performance, 'latencyP95Ms')).toEqual([
      { t: Date.parse('2026-11-21T10:00:00.000Z'), v1: 12, v2: 9 },
      { t: Date.parse('2026-11-21T11:00:00.000Z'), v1: 14, v2: 8 },
      { t: Date.parse('2026-11-21T12:00:00.000Z'), v1: null, v2: 7 },
    ]);
  });

  it('leaves out quality figures of buckets with fewer labelled predictions than the minimum', () => {
    expect(byVersion(performance, 'accuracy', MIN_LABELED_POINT)).toEqual([
      { t: Date.parse('2026-11-21T10:00:00.000Z'), v1: 0.8, v2: 0.9 },
      { t: Date.parse('2026-11-21T11:00:00.000Z'), v1: null, v2: null },
      { t: Date.parse('2026-11-21T12:00:00.000Z'), v1: null, v2: null },
    ]);
  });
});
