import type { VersionStats } from '@/lib/server/deployments/backends/types';

/** An environment's canary thresholds (environment_backends). */
export interface CanaryThresholds {
  /** Largest allowed canary error rate above the primary's, in percentage points. */
  maxErrorRateIncrease: number;
  /** Largest allowed canary p95 as a multiple of the primary's. */
  maxLatencyRatio: number;
  /** Canary requests needed in the window before the analysis judges. */
  minRequests: number;
}

/**
 * Sub-millisecond models make p95 ratios noise (0.05 ms vs 0.1 ms is "2×"): a canary is never
 * failed on latency for being less than this much slower than the primary.
 */
export const LATENCY_SLACK_MS = 5;

/** Intervals a step may be extended while the canary gets too few requests; then it aborts. */
export const MAX_EXTENSIONS = 3;

export interface VersionFigures {
  version: number;
  requests: number;
  errors: number;
  errorRate: number;
  p95Ms: number | null;
}

export interface CanaryCheck {
  name: 'requests' | 'errorRate' | 'latency';
  passed: boolean;
  detail: string;
}

export interface CanaryAnalysis {
  at: string;
  windowSeconds: number;
  verdict: 'pass' | 'fail' | 'insufficient';
  canary: VersionFigures;
  primary: VersionFigures;
  thresholds: CanaryThresholds;
  checks: CanaryCheck[];
}

function figures(version: number, stats: VersionStats | undefined): VersionFigures {
  return {
    version,
    requests: stats?.requests ?? 0,
    errors: stats?.errors ?? 0,
    errorRate: stats?.errorRate ?? 0,
    p95Ms: stats?.latencyMs?.p95 ?? null,
  };
}

const pct = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * Compares the canary with the primary over one window of the backend's per-version stats.
 * Too few canary requests → `insufficient` (the caller waits, up to MAX_EXTENSIONS). Else it
 * fails when the canary's error rate exceeds the primary's by more than the allowed points,
 * or its p95 exceeds the allowed multiple of the primary's (and by more than LATENCY_SLACK_MS).
 */
export function analyzeCanary(options: {
  canaryVersion: number;
  primaryVersion: number;
  versions: VersionStats[];
  windowSeconds: number;
  thresholds: CanaryThresholds;
  at?: Date;
}): CanaryAnalysis {
  const { thresholds } = options;
  const canary = figures(options.canaryVersion, options.versions.find((v) => v.version === options.canaryVersion));
  const primary = figures(options.primaryVersion, options.versions.find((v) => v.version === options.primaryVersion));
  const checks: CanaryCheck[] = [];
  const enough = canary.requests >= thresholds.minRequests;
  checks.push({
    name: 'requests',
    passed: enough,
    detail: `${canary.requests} canary requests (at least ${thresholds.minRequests} needed to judge)`,
  });
  if (enough) {
    const allowed = primary.errorRate + thresholds.maxErrorRateIncrease / 100;
    checks.push({
      name: 'errorRate',
      passed: canary.errorRate <= allowed + 1e-9,
      detail: `error rate ${pct(canary.errorRate)} vs primary ${pct(primary.errorRate)} (at most ${pct(allowed)})`,
    });
    if (canary.p95Ms === null && canary.errors > 0) {
      checks.push({ name: 'latency', passed: false, detail: 'no successful canary request to measure latency on' });
    } else if (canary.p95Ms !== null && primary.p95Ms !== null) {
      const limit = Math.max(primary.p95Ms * thresholds.maxLatencyRatio, primary.p95Ms + LATENCY_SLACK_MS);
      checks.push({
        name: 'latency',
        passed: canary.p95Ms <= limit,
        detail: `p95 ${ms(canary.p95Ms)} vs primary ${ms(primary.p95Ms)} (at most ${ms(limit)}: ${thresholds.maxLatencyRatio}× the primary, ${LATENCY_SLACK_MS} ms slack)`,
      });
    } else {
      checks.push({ name: 'latency', passed: true, detail: 'the primary answered nothing in the window to compare latency with' });
    }
  }
  const verdict = !enough ? 'insufficient' : checks.every((c) => c.passed) ? 'pass' : 'fail';
  return { at: (options.at ?? new Date()).toISOString(), windowSeconds: options.windowSeconds, verdict, canary, primary, thresholds, checks };
}

/** The one-line reason an analysis failed, for the release's status reason. */
export function describeFailure(analysis: CanaryAnalysis): string {
  const failed = analysis.checks.filter((c) => !c.passed).map((c) => c.detail);
  return `Canary analysis failed over ${analysis.windowSeconds} s: ${failed.join('; ')}.`;
}
