import { describe, expect, it } from 'vitest';
import { splitCsvRecord } from './formats/csv';
import { RecordSplitter } from './read-records';

function split(input: string, quoted: boolean, pieces: number[]) {
  const bytes = Buffer.from(input, 'utf8');
  const splitter = new RecordSplitter(quoted);
  const out = [];
  let at = 0;
  for (const size of [...pieces, bytes.length]) {
    out.push(...splitter.push(bytes.subarray(at, Math.min(bytes.length, at + size))));
    at = Math.min(bytes.length, at + size);
    if (at === bytes.length) break;
  }
  return [...out, ...splitter.end()];
}

describe('RecordSplitter', () => {
  const csv = 'a,b\r\n"x\ny",1\n\n"say ""hi""",é€\n"a,b",2';

  it('splits CSV records at newlines outside quotes, with byte offsets, across any chunking', () => {
    const expected = [
      { text: 'a,b', end: 5 },
      { text: '"x\ny",1', end: 13 },
      { text: '"say ""hi""",é€', end: 14 + Buffer.byteLength('"say ""hi""",é€') + 1 },
      { text: '"a,b",2', end: Buffer.byteLength(csv) },
    ];
    for (const pieces of [[1000], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 7, 2], [17, 1, 1]]) {
      expect(split(csv, true, pieces), `chunks ${pieces.join(',')}`).toEqual(expected);
    }
    expect(split(csv, true, [1000]).map((r) => splitCsvRecord(r.text))).toEqual([['a', 'b'], ['x\ny', '1'], ['say "hi"', 'é€'], ['a,b', '2']]);
  });

  it('splits NDJSON at every newline and starts counting at the given offset', () => {
    const splitter = new RecordSplitter(false, 100);
    expect([...splitter.push(Buffer.from('{"a":"x\\ny"}\n{"b":1}')), ...splitter.end()]).toEqual([
      { text: '{"a":"x\\ny"}', end: 113 },
      { text: '{"b":1}', end: 120 },
    ]);
  });
});
