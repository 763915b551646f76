import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash } from './canonical';
import { csvField } from './export-audit-csv';

const content = {
  seq: 1n,
  at: new Date('2026-01-01T00:00:00.000Z'),
  actorId: null,
  actorEmail: 'a@example.com',
  action: 'user.create',
  targetType: 'user',
  targetId: 'u1',
  before: null,
  after: { b: 1, a: [{ y: 2, x: 1 }] },
  requestId: 'r1',
};

describe('canonical JSON and entry hashes', () => {
  it('sorts keys at every level so key order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } })).toBe('{"a":{"c":[{"e":2,"f":1}],"d":1},"b":1}');
    expect(entryHash('', content)).toBe(entryHash('', { ...content, after: { a: [{ x: 1, y: 2 }], b: 1 } }));
  });

  it('changes when the content, the position or the previous hash changes', () => {
    const base = entryHash('', content);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash('', { ...content, after: { b: 2, a: [] } })).not.toBe(base);
    expect(entryHash('', { ...content, seq: 2n })).not.toBe(base);
    expect(entryHash('x', content)).not.toBe(base);
  });
});

describe('CSV fields', () => {
  it('quotes separators and neutralises spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
  });
});
