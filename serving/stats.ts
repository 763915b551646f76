/**
 * In-memory request statistics per version, kept as per-second buckets for the last
 * 15 minutes. Latencies go into a log-scaled histogram per bucket (bins 5 % wide), so a
 * window's percentiles cost a merge of at most 900 small arrays whatever the request rate,
 * with a relative error under 2.5 %.
 */

export const RETENTION_SECONDS = 15 * 60;

const MIN_MS = 0.01;
const GROWTH = 1.05;
const BINS = Math.ceil(Math.log(600_000 / MIN_MS) / Math.log(GROWTH)) + 1;

function binOf(ms: number): number {
  if (!(ms > MIN_MS)) return 0;
  return Math.min(BINS - 1, Math.floor(Math.log(ms / MIN_MS) / Math.log(GROWTH)) + 1);
}

/** The geometric middle of a bin: the value reported for samples that fell into it. */
function valueOf(bin: number): number {
  if (bin === 0) return MIN_MS;
  return MIN_MS * GROWTH ** (bin - 0.5);
}

interface Bucket {
  second: number;
  requests: number;
  errors: number;
  latency: Uint32Array;
  compared: number;
  agreed: number;
  absDiffSum: number;
  absDiffCount: number;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
}

export interface WindowSummary {
  requests: number;
  errors: number;
  errorRate: number;
  latencyMs: LatencySummary | null;
  compared: number;
  agreement: number | null;
  meanAbsoluteDifference: number | null;
}

export class SecondSeries {
  private readonly buckets = new Array<Bucket | undefined>(RETENTION_SECONDS);

  constructor(private readonly now: () => number = () => Date.now()) {}

  private bucket(): Bucket {
    const second = Math.floor(this.now() / 1000);
    const slot = second % RETENTION_SECONDS;
    let bucket = this.buckets[slot];
    if (!bucket || bucket.second !== second) {
      bucket = { second, requests: 0, errors: 0, latency: new Uint32Array(BINS), compared: 0, agreed: 0, absDiffSum: 0, absDiffCount: 0 };
      this.buckets[slot] = bucket;
    }
    return bucket;
  }

  record(latencyMs: number, failed: boolean): void {
    const bucket = this.bucket();
    bucket.requests += 1;
    if (failed) bucket.errors += 1;
    else bucket.latency[binOf(latencyMs)]! += 1;
  }

  /** A shadow comparison: label agreement (classification) and/or absolute differences (regression). */
  recordComparison(comparison: { compared: number; agreed?: number; absDiffSum?: number; absDiffCount?: number }): void {
    const bucket = this.bucket();
    bucket.compared += comparison.compared;
    bucket.agreed += comparison.agreed ?? 0;
    bucket.absDiffSum += comparison.absDiffSum ?? 0;
    bucket.absDiffCount += comparison.absDiffCount ?? 0;
  }

  summary(windowSeconds: number, kind: 'classification' | 'regression' | 'other' = 'other'): WindowSummary {
    const current = Math.floor(this.now() / 1000);
    const from = current - Math.min(windowSeconds, RETENTION_SECONDS) + 1;
    const latency = new Float64Array(BINS);
    let requests = 0;
    let errors = 0;
    let compared = 0;
    let agreed = 0;
    let absDiffSum = 0;
    let absDiffCount = 0;
    for (const bucket of this.buckets) {
      if (!bucket || bucket.second < from || bucket.second > current) continue;
      requests += bucket.requests;
      errors += bucket.errors;
      compared += bucket.compared;
      agreed += bucket.agreed;
      absDiffSum += bucket.absDiffSum;
      absDiffCount += bucket.absDiffCount;
      for (let i = 0; i < BINS; i++) latency[i]! += bucket.latency[i]!;
    }
    return {
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      latencyMs: percentiles(latency, requests - errors),
      compared,
      agreement: kind === 'classification' && compared > 0 ? agreed / compared : null,
      meanAbsoluteDifference: kind === 'regression' && absDiffCount > 0 ? absDiffSum / absDiffCount : null,
    };
  }
}

function percentiles(histogram: Float64Array, total: number): LatencySummary | null {
  if (total <= 0) return null;
  const at = (q: number) => {
    const rank = Math.ceil(q * total);
    let seen = 0;
    for (let i = 0; i < histogram.length; i++) {
      seen += histogram[i]!;
      if (seen >= rank) return Math.round(valueOf(i) * 1000) / 1000;
    }
    return Math.round(valueOf(histogram.length - 1) * 1000) / 1000;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
