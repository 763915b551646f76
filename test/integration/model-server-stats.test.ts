/** The model server's per-second statistics (pure, with a controlled clock). */
import { describe, expect, it } from 'vitest';
import { RETENTION_SECONDS, SecondSeries } from '@/serving/stats';

function seriesAt(startMs: number) {
  const clock = { now: startMs };
  return { clock, series: new SecondSeries(() => clock.now) };
}

describe('SecondSeries', () => {
  it('reports percentiles within the histogram resolution (±2.5 %)', () => {
    const { series } = seriesAt(1_000_000);
    // 1..1000 ms once each: p50 = 500, p95 = 950, p99 = 990.
    for (let ms = 1; ms <= 1000; ms++) series.record(ms, false);
    const { latencyMs, requests, errors } = series.summary(60);
    expect(requests).toBe(1000);
    expect(errors).toBe(0);
    expect(Math.abs(latencyMs!.p50 / 500 - 1)).toBeLessThan(0.025);
    expect(Math.abs(latencyMs!.p95 / 950 - 1)).toBeLessThan(0.025);
    expect(Math.abs(latencyMs!.p99 / 990 - 1)).toBeLessThan(0.025);
  });

  it('counts errors apart from latencies and has no latency without a success', () => {
    const { series } = seriesAt(0);
    series.record(5, true);
    series.record(7, true);
    expect(series.summary(60)).toMatchObject({ requests: 2, errors: 2, errorRate: 1, latencyMs: null });
    series.record(3, false);
    expect(series.summary(60).errorRate).toBeCloseTo(2 / 3, 10);
  });

  it('only counts seconds inside the window, and forgets what is older than the retention', () => {
    const { clock, series } = seriesAt(10_000_000);
    series.record(1, false);
    clock.now += 30_000;
    series.record(1, false);
    series.record(1, false);
    expect(series.summary(10).requests).toBe(2);
    expect(series.summary(31).requests).toBe(3);
    clock.now += RETENTION_SECONDS * 1000;
    expect(series.summary(RETENTION_SECONDS).requests).toBe(0);
    series.record(1, false);
    expect(series.summary(RETENTION_SECONDS).requests).toBe(1);
  });

  it('aggregates shadow comparisons by task', () => {
    const { series } = seriesAt(0);
    series.recordComparison({ compared: 4, agreed: 3 });
    series.recordComparison({ compared: 4, agreed: 1 });
    expect(series.summary(60, 'classification')).toMatchObject({ compared: 8, agreement: 0.5, meanAbsoluteDifference: null });
    const regression = seriesAt(0).series;
    regression.recordComparison({ compared: 2, absDiffSum: 1, absDiffCount: 2 });
    regression.recordComparison({ compared: 2, absDiffSum: 3, absDiffCount: 2 });
    expect(regression.summary(60, 'regression')).toMatchObject({ compared: 4, agreement: null, meanAbsoluteDifference: 1 });
  });
});
