import { describe, expect, it } from 'vitest';
import type { VersionStats } from '@/lib/server/deployments/backends/types';
import { analyzeCanary, describeFailure, LATENCY_SLACK_MS } from './canary-analysis';

const thresholds = { maxErrorRateIncrease: 1, maxLatencyRatio: 1.5, minRequests: 20 };

function stats(version: number, requests: number, errors: number, p95: number | null): VersionStats {
  return {
    version,
    role: version === 2 ? 'canary' : 'primary',
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    latencyMs: p95 === null ? null : { p50: p95 / 2, p95, p99: p95 * 1.2 },
  };
}

const analyze = (canary: VersionStats | null, primary: VersionStats | null) =>
  analyzeCanary({ canaryVersion: 2, primaryVersion: 1, versions: [canary, primary].filter((v): v is VersionStats => v !== null), windowSeconds: 60, thresholds });

describe('analyzeCanary', () => {
  it('passes a canary as good as the primary', () => {
    const result = analyze(stats(2, 100, 0, 20), stats(1, 900, 0, 20));
    expect(result.verdict).toBe('pass');
    expect(result.checks.map((c) => [c.name, c.passed])).toEqual([
      ['requests', true],
      ['errorRate', true],
      ['latency', true],
    ]);
  });

  it('waits (insufficient) below the minimum number of canary requests, whatever its errors', () => {
    const result = analyze(stats(2, 19, 19, null), stats(1, 500, 0, 10));
    expect(result.verdict).toBe('insufficient');
    expect(result.checks).toEqual([{ name: 'requests', passed: false, detail: '19 canary requests (at least 20 needed to judge)' }]);
  });

  it('allows the error rate up to the primary plus the allowed points, and fails above', () => {
    expect(analyze(stats(2, 100, 3, 10), stats(1, 100, 2, 10)).verdict).toBe('pass');
    const failed = analyze(stats(2, 100, 4, 10), stats(1, 100, 2, 10));
    expect(failed.verdict).toBe('fail');
    expect(describeFailure(failed)).toBe('Canary analysis failed over 60 s: error rate 4.0 % vs primary 2.0 % (at most 3.0 %).');
  });

  it('fails a canary slower than the allowed multiple of the primary p95', () => {
    const failed = analyze(stats(2, 100, 0, 200), stats(1, 100, 0, 100));
    expect(failed.verdict).toBe('fail');
    expect(failed.checks.find((c) => c.name === 'latency')!.detail).toBe('p95 200.0 ms vs primary 100.0 ms (at most 150.0 ms: 1.5× the primary, 5 ms slack)');
    expect(analyze(stats(2, 100, 0, 150), stats(1, 100, 0, 100)).verdict).toBe('pass');
  });

  it('ignores sub-millisecond latency noise below the slack', () => {
    expect(analyze(stats(2, 100, 0, 0.4 + LATENCY_SLACK_MS - 0.5), stats(1, 100, 0, 0.1)).verdict).toBe('pass');
    expect(analyze(stats(2, 100, 0, 0.1 + LATENCY_SLACK_MS + 0.5), stats(1, 100, 0, 0.1)).verdict).toBe('fail');
  });

  it('fails a canary whose every request errored (no latency to compare) and judges without primary traffic', () => {
    const allErrors = analyze(stats(2, 50, 50, null), stats(1, 50, 0, 5));
    expect(allErrors.verdict).toBe('fail');
    expect(allErrors.canary).toMatchObject({ requests: 50, errors: 50, errorRate: 1, p95Ms: null });
    const noPrimary = analyze(stats(2, 50, 0, 5), null);
    expect(noPrimary.verdict).toBe('pass');
    expect(noPrimary.primary).toEqual({ version: 1, requests: 0, errors: 0, errorRate: 0, p95Ms: null });
  });
});
