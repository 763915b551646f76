import 'server-only';
import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;
const QUOTE = 0x22;

export interface SplitRecord {
  text: string;
  /** Byte offset just past this record (and its newline) in the whole input. */
  end: number;
}

/**
 * Splits bytes into records at newlines — outside double quotes when `quoted` (CSV fields
 * may hold newlines). Works on bytes, so offsets are exact and a multi-byte character split
 * across chunks is decoded whole. Blank lines are skipped; a trailing \r is dropped.
 */
export class RecordSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private inQuotes = false;
  /** Bytes of `carry` already scanned (no record boundary in them). */
  private scanned = 0;

  constructor(
    private readonly quoted: boolean,
    private offset = 0,
  ) {}

  push(chunk: Buffer): SplitRecord[] {
    const buffer = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const out: SplitRecord[] = [];
    let start = 0;
    let i = this.scanned;
    if (!this.quoted) {
      for (let nl = buffer.indexOf(NEWLINE, i); nl !== -1; nl = buffer.indexOf(NEWLINE, start)) {
        this.emit(buffer, start, nl, out);
        start = nl + 1;
      }
      i = buffer.length;
    } else {
      // Jump between quotes and newlines with indexOf rather than visiting every byte; the
      // next quote is looked up once and reused until passed.
      let quote = buffer.indexOf(QUOTE, i);
      while (i < buffer.length) {
        if (quote !== -1 && quote < i) quote = buffer.indexOf(QUOTE, i);
        if (this.inQuotes) {
          if (quote === -1) {
            i = buffer.length;
            break;
          }
          this.inQuotes = false;
          i = quote + 1;
          continue;
        }
        const nl = buffer.indexOf(NEWLINE, i);
        if (quote !== -1 && (nl === -1 || quote < nl)) {
          this.inQuotes = true;
          i = quote + 1;
          continue;
        }
        if (nl === -1) {
          i = buffer.length;
          break;
        }
        this.emit(buffer, start, nl, out);
        start = nl + 1;
        i = start;
      }
    }
    this.carry = buffer.subarray(start);
    this.scanned = i - start;
    return out;
  }

  /** The last record when the input does not end with a newline. */
  end(): SplitRecord[] {
    const out: SplitRecord[] = [];
    if (this.carry.length) this.emit(this.carry, 0, this.carry.length, out, 0);
    this.carry = Buffer.alloc(0);
    this.scanned = 0;
    return out;
  }

  private emit(buffer: Buffer, start: number, stop: number, out: SplitRecord[], newline = 1): void {
    let last = stop;
    if (last > start && buffer[last - 1] === 0x0d) last -= 1;
    this.offset += stop - start + newline;
    if (last > start) out.push({ text: buffer.toString('utf8', start, last), end: this.offset });
  }
}

/** Records of a stored file from byte `start` on, streamed, in the batches each read yields. */
export async function* readRecordBatches(file: string, quoted: boolean, start = 0): AsyncGenerator<SplitRecord[]> {
  const splitter = new RecordSplitter(quoted, start);
  for await (const chunk of createReadStream(file, { start, highWaterMark: 1024 * 1024 })) {
    const records = splitter.push(chunk as Buffer);
    if (records.length) yield records;
  }
  const last = splitter.end();
  if (last.length) yield last;
}

/** Records of a stored file from byte `start` on, one at a time. */
export async function* readRecords(file: string, quoted: boolean, start = 0): AsyncGenerator<SplitRecord> {
  for await (const batch of readRecordBatches(file, quoted, start)) yield* batch;
}
