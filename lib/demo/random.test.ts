import { describe, expect, it } from 'vitest';
import { createRandom, mulberry32 } from './random';

describe('seeded random source', () => {
  it('repeats itself for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
    first.forEach((u) => expect(u >= 0 && u < 1).toBe(true));
  });

  it('draws normals, Poisson counts and weighted choices with the moments asked for', () => {
    const random = createRandom(7);
    const n = 50_000;
    const normals = Array.from({ length: n }, () => random.normal(10, 2));
    const mean = normals.reduce((s, v) => s + v, 0) / n;
    const variance = normals.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(2, 1);

    const counts = Array.from({ length: n }, () => random.poisson(3));
    expect(counts.reduce((s, v) => s + v, 0) / n).toBeCloseTo(3, 1);

    const picks = [0, 0, 0];
    for (let i = 0; i < n; i++) picks[random.weighted([1, 2, 7])]!++;
    expect(picks[2]! / n).toBeCloseTo(0.7, 1);

    const integers = new Set(Array.from({ length: 1000 }, () => random.integer(1, 6)));
    expect([...integers].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
