import { describe, expect, it } from 'vitest';
import { formatNumber, formatValue } from './number-text';

describe('formatNumber', () => {
  it('keeps at most 4 significant digits', () => {
    expect(formatNumber(0.03333333333333333)).toBe('0.03333');
    expect(formatNumber(0.9123456)).toBe('0.9123');
    expect(formatNumber(12.34567)).toBe('12.35');
    expect(formatNumber(0.5)).toBe('0.5');
  });
  it('leaves whole numbers and the integer part of large values alone', () => {
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(12345.678)).toBe('12346');
    expect(formatNumber(-7)).toBe('-7');
  });
  it('uses exponent form for tiny and huge values', () => {
    expect(formatNumber(0.000012346)).toBe('1.235e-5');
    expect(formatNumber(0.0001)).toBe('1e-4');
    expect(formatNumber(3.5e12 + 0.5)).toBe('3.5e+12');
  });
  it('shows missing values as a dash', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(undefined)).toBe('—');
  });
});

describe('formatValue', () => {
  it('formats numeric parameters and leaves the rest readable', () => {
    expect(formatValue(1 / 30)).toBe('0.03333');
    expect(formatValue('adam')).toBe('adam');
    expect(formatValue([64, 32])).toBe('[64,32]');
    expect(formatValue(true)).toBe('true');
  });
});
