/**
 * The latency sketch: fixed log-scale buckets, so hourly rollups just add counts and any
 * percentile over any window comes from the summed counts, within 5% of the true value.
 * Bucket i holds latencies in (γ^(i−1), γ^i] ms; everything at or below 0.01 ms shares the
 * lowest bucket.
 */
export const LATENCY_GAMMA = 1.05;
const MIN_MS = 0.01;
const LOG_GAMMA = Math.log(LATENCY_GAMMA);
export const LATENCY_MIN_BUCKET = Math.ceil(Math.log(MIN_MS) / LOG_GAMMA);

export function latencyBucket(ms: number): number {
  if (!(ms > MIN_MS)) return LATENCY_MIN_BUCKET;
  return Math.ceil(Math.log(ms) / LOG_GAMMA - 1e-12);
}

/** The bucket's upper bound in ms: what a percentile falling in it reports. */
export function latencyBucketUpperMs(bucket: number): number {
  return LATENCY_GAMMA ** bucket;
}

/** The q-quantile (0 < q ≤ 1) from bucket counts, as the upper bound of the bucket holding it. */
export function latencyQuantile(counts: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const count of counts.values()) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket)!;
    if (seen >= rank) return latencyBucketUpperMs(bucket);
  }
  return latencyBucketUpperMs(Math.max(...counts.keys()));
}
