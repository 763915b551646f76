import { describe, expect, it } from 'vitest';
import { latencyBucket, latencyBucketUpperMs, latencyQuantile, LATENCY_GAMMA } from './latency-buckets';

describe('latency buckets', () => {
  it('put a latency in the bucket whose bounds hold it, within 5%', () => {
    for (const ms of [0.02, 0.5, 1, 3.7, 12, 99.9, 100, 250, 1234.5, 60_000]) {
      const upper = latencyBucketUpperMs(latencyBucket(ms));
      expect(upper).toBeGreaterThanOrEqual(ms * (1 - 1e-9));
      expect(upper / LATENCY_GAMMA).toBeLessThan(ms);
    }
  });

  it('give p50/p95/p99 from counts within 5% of the exact percentiles', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1 + i * 0.37);
    const counts = new Map<number, number>();
    for (const v of values) counts.set(latencyBucket(v), (counts.get(latencyBucket(v)) ?? 0) + 1);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      const sketch = latencyQuantile(counts, q)!;
      expect(sketch).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
      expect(sketch).toBeLessThanOrEqual(exact * LATENCY_GAMMA);
    }
  });

  it('has no percentile without data', () => {
    expect(latencyQuantile(new Map(), 0.5)).toBeNull();
  });
});
