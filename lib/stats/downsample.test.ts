import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lttb, minMaxDownsample, type SeriesPoint } from './downsample';

const series = (values: Array<number | null>): SeriesPoint[] => values.map((v, i) => ({ t: 1000 * i, v }));
const wave = (n: number) => series(Array.from({ length: n }, (_, i) => Math.sin(i / 50)));

const pointArbitrary = fc.array(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null, freq: 8 }), {
  minLength: 0,
  maxLength: 400,
});

describe.each([
  ['minMaxDownsample', minMaxDownsample],
  ['lttb', lttb],
] as const)('%s', (_, downsample) => {
  it('returns at most the target, original points in time order', () => {
    fc.assert(
      fc.property(pointArbitrary, fc.integer({ min: 1, max: 120 }), (values, target) => {
        const points = series(values);
        const out = downsample(points, target);
        expect(out.length).toBeLessThanOrEqual(target);
        let previous = -1;
        for (const p of out) {
          const index = points.indexOf(p);
          expect(index).toBeGreaterThan(previous);
          previous = index;
        }
      }),
    );
  });

  it('keeps the first and last points', () => {
    const points = wave(10_000);
    const out = downsample(points, 200);
    expect(out[0]).toBe(points[0]);
    expect(out.at(-1)).toBe(points.at(-1));
    expect(out.length).toBeGreaterThan(150);
  });

  it('keeps a single-sample spike', () => {
    const points = wave(10_000);
    points[6_123] = { t: points[6_123]!.t, v: 40 };
    points[2_001] = { t: points[2_001]!.t, v: -40 };
    const out = downsample(points, 100);
    expect(out).toContain(points[6_123]);
    expect(out).toContain(points[2_001]);
  });

  it('keeps gaps as nulls in place instead of bridging them', () => {
    const values: Array<number | null> = Array.from({ length: 5_000 }, (_, i) => i % 97);
    for (let i = 1_000; i < 1_300; i++) values[i] = null;
    values[4_000] = null;
    const points = series(values);
    const out = downsample(points, 120);
    expect(out.filter((p) => p.v === null)).toEqual([points[1_000], points[4_000]]);
    // The points around each gap are kept, so the line stops and restarts at the right times.
    expect(out).toContain(points[999]);
    expect(out).toContain(points[1_300]);
    expect(out).toContain(points[3_999]);
    expect(out).toContain(points[4_001]);
  });

  it('still shows gaps when there are more of them than the target', () => {
    const points = series(Array.from({ length: 1_000 }, (_, i) => (i % 4 === 0 ? null : i)));
    const out = downsample(points, 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.some((p) => p.v === null)).toBe(true);
  });

  it('returns short series unchanged and rejects a bad target or order', () => {
    const points = series([1, null, 3]);
    expect(downsample(points, 3)).toEqual(points);
    expect(() => downsample(points, 0)).toThrow(/positive integer/);
    expect(() => downsample([{ t: 2, v: 1 }, { t: 1, v: 2 }, { t: 3, v: 3 }], 2)).toThrow(/ascending time/);
  });
});

describe('minMaxDownsample', () => {
  it('returns both extremes of each bucket in time order', () => {
    // Interior of 8 points, budget 6: first, two buckets of four (min and max each), last.
    const points = series([0, 5, -3, 1, 2, 9, 4, -8, 7, 0]);
    expect(minMaxDownsample(points, 6).map((p) => p.v)).toEqual([0, 5, -3, 9, -8, 0]);
  });
});

describe('lttb', () => {
  it('picks the point making the largest triangle in each bucket', () => {
    // A flat line with one bump per bucket: LTTB keeps the bumps.
    const points = series([0, 0, 3, 0, 0, 0, -2, 0, 0, 0]);
    expect(lttb(points, 4).map((p) => p.v)).toEqual([0, 3, -2, 0]);
  });
});
