import { describe, expect, it } from 'vitest';
import { cellRatio } from './drift-heatmap';
import { windowOf } from './time-range';

const now = Date.parse('2026-11-21T10:20:30Z');

describe('windowOf', () => {
  it('gives hourly buckets up to 7 days and daily ones beyond, ending at the next minute', () => {
    expect(windowOf('1h', now)).toEqual({ from: '2026-11-21T09:21:00.000Z', to: '2026-11-21T10:21:00.000Z', bucket: '1h', live: true });
    expect(windowOf('7d', now)).toMatchObject({ from: '2026-11-14T10:21:00.000Z', bucket: '1h' });
    expect(windowOf('30d', now)).toMatchObject({ from: '2026-10-22T10:21:00.000Z', bucket: '1d' });
    expect(windowOf('90d', now)).toMatchObject({ bucket: '1d', live: true });
  });

  it('takes a custom range as given, and says what is wrong with a bad one', () => {
    expect(windowOf('custom', now, { from: '2026-11-01T00:00Z', to: '2026-11-03T00:00Z' })).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-03T00:00:00.000Z',
      bucket: '1h',
      live: false,
    });
    expect(windowOf('custom', now, { from: '2026-01-01T00:00Z', to: '2026-11-01T00:00Z' })).toMatchObject({ bucket: '1d' });
    expect(windowOf('custom', now, { from: '', to: '' })).toEqual({ error: 'Pick a start and an end.' });
    expect(windowOf('custom', now, { from: '2026-11-03T00:00Z', to: '2026-11-01T00:00Z' })).toEqual({ error: 'The start must be before the end.' });
    expect(windowOf('custom', now, { from: '2024-01-01T00:00Z', to: '2026-11-01T00:00Z' })).toEqual({ error: 'A custom range spans at most 366 days.' });
  });
});

describe('cellRatio', () => {
  it('is value / threshold for distances and threshold / p for tests, so ≥ 1 means drifted either way', () => {
    expect(cellRatio(0.4, 0.2, 'psi')).toBe(2);
    expect(cellRatio(0.05, 0.1, 'jensen_shannon')).toBe(0.5);
    expect(cellRatio(0.01, 0.05, 'chi_square')).toBeCloseTo(5, 12);
    expect(cellRatio(0.5, 0.05, 'chi_square')).toBeCloseTo(0.1, 12);
  });
});
