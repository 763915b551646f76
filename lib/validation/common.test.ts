import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { INT32_MAX, parseTimeIdCursor, ZText, ZTimestamp, ZVersionNumber, ZVersionText } from './common';

const ID = '0b9c6f1e-2a4d-4c1b-9e7f-3d2a1b0c9e8f';

describe('ZText', () => {
  it.each([
    ['a\u0000b', 'NUL'],
    ['\uD800', 'lone surrogate'],
    ['x\uDC00y', 'lone surrogate'],
    ['\uDC00\uD800', 'lone surrogate'],
  ])('refuses %j (%s)', (value, what) => {
    const result = ZText.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(what === 'NUL' ? 'NUL' : 'lone surrogate');
  });

  it.each(['', 'plain', 'emoji 😀 and accents é', '\uD83D\uDE00'])('accepts %j', (value) => {
    expect(ZText.safeParse(value).success).toBe(true);
  });

  it('keeps the chained checks of z.string()', () => {
    expect(ZText.max(3).safeParse('abcd').success).toBe(false);
    expect(ZText.trim().min(1).safeParse('   ').success).toBe(false);
  });
});

describe('version numbers', () => {
  it('stop at the largest PostgreSQL integer', () => {
    expect(ZVersionNumber.safeParse(INT32_MAX).success).toBe(true);
    expect(ZVersionNumber.safeParse(INT32_MAX + 1).success).toBe(false);
    expect(ZVersionText.safeParse(String(INT32_MAX + 1)).success).toBe(false);
    expect(ZVersionText.parse('42')).toBe(42);
  });

  it('refuse text in JSON bodies, zero and fractions', () => {
    for (const value of ['3', 0, 1.5, -1]) expect(ZVersionNumber.safeParse(value).success).toBe(false);
  });
});

describe('ZTimestamp', () => {
  it.each(['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '+010000-01-01T00:00:00Z'])('refuses %s', (value) => {
    expect(ZTimestamp.safeParse(value).success).toBe(false);
  });

  it.each(['1970-01-01T00:00:00Z', '2026-01-31T00:00:00+02:00', '9999-12-31T23:59:59Z'])('accepts %s', (value) => {
    expect(ZTimestamp.safeParse(value).success).toBe(true);
  });
});

describe('parseTimeIdCursor', () => {
  it('reads the cursors lists hand out', () => {
    expect(parseTimeIdCursor(`2026-01-31T00:00:00.000Z|${ID}`)).toEqual({ at: new Date('2026-01-31T00:00:00.000Z'), id: ID });
  });

  it.each([`-100000-01-01T00:00:00.000Z|${ID}`, `0000-01-01T00:00:00.000Z|${ID}`, 'abc', `2026-01-31T00:00:00Z|nope`, `2026-01-31T00:00:00Z|${ID}|x`])(
    'answers 400 invalid_cursor for %s',
    (cursor) => {
      expect(() => parseTimeIdCursor(cursor)).toThrow(AppError);
      try {
        parseTimeIdCursor(cursor);
      } catch (error) {
        expect(error).toMatchObject({ status: 400, code: 'invalid_cursor' });
      }
    },
  );
});
