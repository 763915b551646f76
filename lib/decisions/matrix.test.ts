import { describe, expect, it } from 'vitest';
import type { DecisionQuery, UnitPrices } from '@/lib/validation/decisions';
import { decisionMatrixCsv, decisionMatrixMarkdown } from './export';
import { ASSUMED_HOPS, buildDecisionMatrix, HOURS_PER_MONTH, percentiles, summarizeProbe, type ProbeSummary } from './matrix';

const prices: UnitPrices = { currency: 'EUR', cpuHour: 0.05, gbMonth: 0.02, perMillionRequests: 0.4, updatedAt: '2026-11-01T00:00:00.000Z', configured: true };
const traffic: DecisionQuery = { requestsPerMonth: 50_000_000, peakRps: 900, latencyTargetMs: 20, offline: false };
const local: ProbeSummary = { p50Ms: 1.2, p95Ms: 4, capacityRps: 400, probeId: 'aaaaaaaa-0000-4000-8000-000000000000', finishedAt: '2026-11-21T10:00:00.000Z' };
const edge: ProbeSummary = { p50Ms: 0.02, p95Ms: 0.05, capacityRps: 20_000, probeId: 'bbbbbbbb-0000-4000-8000-000000000000', finishedAt: '2026-11-21T10:01:00.000Z' };
const build = (overrides: Partial<Parameters<typeof buildDecisionMatrix>[0]> = {}) =>
  buildDecisionMatrix({ model: 'm', version: 3, modelBytes: 2e9, traffic, prices, local, edge, ...overrides });
const option = (m: ReturnType<typeof build>, id: string) => m.options.find((o) => o.id === id)!;

describe('percentiles', () => {
  it('interpolates linearly like numpy', () => {
    const { p50Ms, p95Ms } = percentiles([10, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(p50Ms).toBe(5.5);
    expect(p95Ms).toBeCloseTo(9.55, 12);
    expect(percentiles([])).toEqual({ p50Ms: null, p95Ms: null });
  });
});

describe('summarizeProbe', () => {
  const step = (rate: number, p95: number, throughput: number, errors = 0) => ({ rate, sent: rate, ok: rate - errors, errors, p50Ms: p95 / 2, p95Ms: p95, throughput });
  it('takes the highest-throughput step that met the target as the capacity', () => {
    const summary = summarizeProbe({ id: 'p', targetP95Ms: 10, finishedAt: 'x', steps: [step(10, 2, 10), step(50, 6, 49), step(90, 30, 70)] });
    expect(summary).toMatchObject({ capacityRps: 49, p95Ms: 6, p50Ms: 3 });
  });
  it('has no capacity when even the first step missed the target, and skips steps with errors', () => {
    expect(summarizeProbe({ id: 'p', targetP95Ms: 1, finishedAt: 'x', steps: [step(10, 2, 10)] })).toMatchObject({ capacityRps: 0, p95Ms: 2 });
    expect(summarizeProbe({ id: 'p', targetP95Ms: 10, finishedAt: 'x', steps: [step(10, 2, 9, 1)] })!.capacityRps).toBe(0);
    expect(summarizeProbe({ id: 'p', targetP95Ms: 10, finishedAt: 'x', steps: [] })).toBeNull();
  });
});

describe('buildDecisionMatrix', () => {
  it('prices local real-time as always-on processes for the peak: compute, storage per copy, requests', () => {
    const local_ = option(build(), 'local_realtime');
    expect(local_.replicas).toBe(3); // ceil(900 / 400)
    expect(local_.monthlyCost!.compute).toBeCloseTo(3 * HOURS_PER_MONTH * 0.05, 9); // 109.5
    expect(local_.monthlyCost!.storage).toBeCloseTo(2 * 3 * 0.02, 9); // 2 GB × 3 copies
    expect(local_.monthlyCost!.requests).toBeCloseTo(50 * 0.4, 9); // 50 M requests
    expect(local_.monthlyCost!.total).toBeCloseTo(109.5 + 0.12 + 20, 9);
    expect(local_.p95Ms).toMatchObject({ value: 4, basis: 'measured' });
  });

  it('prices KServe by average replicas (autoscaled) and estimates its latency from local plus the stated hop', () => {
    const kserve = option(build(), 'kserve_realtime');
    // 50 M a month is 19.03 req/s on average: one replica of 400 req/s.
    expect(kserve.monthlyCost!.compute).toBeCloseTo(HOURS_PER_MONTH * 0.05, 9);
    expect(kserve.replicas).toBe(3);
    expect(kserve.p95Ms).toMatchObject({ value: 4 + ASSUMED_HOPS.kserve.p95, basis: 'estimated' });
    expect(kserve.p95Ms.note).toMatch(/no cluster runs here/);
  });

  it('prices batch by the CPU time the rows take and never meets a sub-hour target', () => {
    const batch = option(build(), 'batch');
    expect(batch.monthlyCost!.compute).toBeCloseTo((50_000_000 / 20_000 / 3600) * 0.05, 9);
    expect(batch.monthlyCost!.requests).toBe(0);
    expect(batch.meetsLatency).toBe(false);
    expect(option(build({ traffic: { ...traffic, latencyTargetMs: 86_400_000 } }), 'batch').meetsLatency).toBe(true);
  });

  it('recommends the cheapest option that meets the target, with its reasons, and says why others were left out', () => {
    const matrix = build();
    // Local needs 3 processes (more than one machine); KServe autoscales to 1 on average and is cheapest.
    expect(matrix.recommendation.option).toBe('kserve_realtime');
    expect(matrix.recommendation.reasons.join('\n')).toMatch(/needs 3 model server processes/);
    expect(matrix.recommendation.reasons.join('\n')).toMatch(/Batch left out/);
    const small = build({ traffic: { ...traffic, peakRps: 50, requestsPerMonth: 1_000_000 } });
    // One process suffices: local and KServe cost the same, local is measured.
    expect(small.recommendation.option).toBe('local_realtime');
    const daily = build({ traffic: { ...traffic, latencyTargetMs: 86_400_000 } });
    expect(daily.recommendation.option).toBe('batch');
    expect(build({ traffic: { ...traffic, offline: true } }).recommendation.option).toBe('edge');
  });

  it('marks options without a probe as not measured and leaves out costs without prices', () => {
    const matrix = build({ local: null, prices: { ...prices, configured: false } });
    expect(option(matrix, 'local_realtime').p95Ms.basis).toBe('not_measured');
    expect(option(matrix, 'streaming').p95Ms.basis).toBe('not_measured');
    expect(matrix.options.every((o) => o.monthlyCost === null)).toBe(true);
    expect(matrix.recommendation.option).toBeNull();
  });
});

describe('exports', () => {
  it('CSV: one row per option with the basis of every figure, formulas neutralised', () => {
    const matrix = { ...build(), probes: [] };
    matrix.options[0] = { ...matrix.options[0]!, residency: '=HYPERLINK("x")' };
    const lines = decisionMatrixCsv(matrix).trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^option,backend,mode,p50_ms,p50_basis,p95_ms/);
    expect(lines[1]).toMatch(/^local_realtime,local,"real-time \(REST, OIP v2\)",1.2,measured,4,measured,400,measured,3,true,129.62,/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });
  it('Markdown: a table, the recommendation and where each figure comes from', () => {
    const md = decisionMatrixMarkdown({ ...build(), probes: [] });
    expect(md).toContain('# Deployment options: m v3');
    expect(md).toContain('| KServe real-time **(recommended)** |');
    expect(md).toContain('| Local real-time | real-time (REST, OIP v2) | 1.2 (measured) | 4 (measured) | 400 (measured) | 3 | yes | 129.62 EUR |');
    expect(md).toMatch(/## Recommendation\n\n\*\*KServe real-time\*\*/);
  });
});
