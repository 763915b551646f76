import { describe, expect, it } from 'vitest';
import { simulateRule, type SeriesPoint } from './simulate-rule';

const MIN = 60_000;
const points = (values: (number | null)[], samples = 100): SeriesPoint[] => values.map((value, i) => ({ at: i * 60 * MIN, value, samples }));
const rule = { comparator: '>', threshold: 0.2, minSamples: 10, windowMinutes: 60 };

describe('simulateRule', () => {
  it('counts one firing per incident and resolves only after a full clear window', () => {
    // Breach, breach, clear (starts the clear window), clear (a full hour later: resolved), breach again.
    const result = simulateRule(points([0.1, 0.3, 0.4, 0.1, 0.1, 0.5, null]), rule);
    expect(result.breached).toEqual([false, true, true, false, false, true, null]);
    expect(result.firings).toBe(2);
    expect(result.spans).toEqual([
      { from: 60 * MIN, to: 240 * MIN },
      { from: 300 * MIN, to: null },
    ]);
  });

  it('lets a point with too few samples neither fire nor resolve', () => {
    const few = points([0.9, 0.9], 5);
    expect(simulateRule(few, rule)).toMatchObject({ firings: 0, breached: [null, null] });
    const series = [...points([0.9]), { at: 60 * MIN, value: 0, samples: 5 }, { at: 120 * MIN, value: 0.9, samples: 50 }];
    expect(simulateRule(series, rule).spans).toEqual([{ from: 0, to: null }]);
  });

  it('lets a breach its significance test does not back neither fire nor resolve, while a clear point still clears', () => {
    const noise = points([0.9, 0.9]).map((p) => ({ ...p, significant: false }));
    expect(simulateRule(noise, rule)).toMatchObject({ firings: 0, breached: [null, null] });
    const series = [...points([0.9]), { at: 60 * MIN, value: 0.9, samples: 100, significant: false }, { at: 120 * MIN, value: 0.1, samples: 100, significant: false }, { at: 180 * MIN, value: 0.1, samples: 100 }];
    expect(simulateRule(series, rule)).toMatchObject({ breached: [true, null, false, false], spans: [{ from: 0, to: 180 * MIN }] });
  });

  it('honours the comparator', () => {
    expect(simulateRule(points([0.1, 0.3]), { ...rule, comparator: '<' }).firings).toBe(1);
    expect(simulateRule(points([0.2]), { ...rule, comparator: '>=' }).firings).toBe(1);
    expect(simulateRule(points([0.2]), rule).firings).toBe(0);
  });
});
