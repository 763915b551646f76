// A minimal POSIX ustar writer and reader: regular files only, which is all an edge bundle
// holds. Pure (no server-only): the CLI's verify-bundle reads bundles with it too.

const BLOCK = 512;

export interface TarEntry {
  name: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  body: Uint8Array | AsyncIterable<Uint8Array>;
}

/** The archive's bytes, entry after entry, ending with the two zero blocks ustar requires. */
export async function* writeTar(entries: Iterable<TarEntry>): AsyncGenerator<Uint8Array> {
  for (const entry of entries) {
    yield header(entry);
    let written = 0;
    if (entry.body instanceof Uint8Array) {
      written = entry.body.length;
      yield entry.body;
    } else {
      for await (const chunk of entry.body) {
        written += chunk.length;
        yield chunk;
      }
    }
    // The size is in the header before the body: a body of another length corrupts the archive.
    if (written !== entry.size) throw new Error(`${entry.name}: expected ${entry.size} bytes, read ${written}.`);
    const padding = (BLOCK - (written % BLOCK)) % BLOCK;
    if (padding) yield new Uint8Array(padding);
  }
  yield new Uint8Array(BLOCK * 2);
}

function header(entry: TarEntry): Uint8Array {
  const name = Buffer.from(entry.name, 'utf8');
  if (name.length > 100) throw new Error(`Tar entry name longer than 100 bytes: ${entry.name}`);
  const block = Buffer.alloc(BLOCK);
  name.copy(block, 0);
  octal(block, 100, 8, 0o644);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, entry.size);
  octal(block, 136, 12, entry.mtime);
  block.fill(0x20, 148, 156);
  block.write('0', 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number) {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`Tar field overflow: ${value}`);
  block.write(`${digits.padStart(length - 1, '0')}\u0000`, offset, 'ascii');
}

/** Regular files of an uncompressed ustar archive, by name. Refuses anything it cannot vouch for. */
export function readTar(archive: Uint8Array): Map<string, Buffer> {
  return new Map([...readTarFiles(archive)].map(([name, body]) => [name, Buffer.from(body.buffer, body.byteOffset, body.byteLength)]));
}

/** As readTar, without Node's Buffer: the Try-it page opens edge bundles in the browser with it. */
export function readTarFiles(archive: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) return files;
    const stored = parseInt(cString(block.subarray(148, 156)).replace(/[\0 ]+$/, '').trim(), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
    if (stored !== sum) throw new Error(`Corrupt tar header at byte ${offset}.`);
    const name = cString(block.subarray(0, 100));
    const prefix = cString(block.subarray(345, 500));
    const size = parseInt(cString(block.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(block[156]!);
    if (type !== '0' && type !== '\0') throw new Error(`Unexpected tar entry "${name}" (type ${type}).`);
    const start = offset + BLOCK;
    if (start + size > archive.length) throw new Error(`Truncated tar entry "${name}".`);
    const fullName = prefix ? `${prefix}/${name}` : name;
    if (files.has(fullName)) throw new Error(`Duplicate tar entry "${fullName}".`);
    files.set(fullName, archive.subarray(start, start + size));
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error('Truncated tar archive (no end-of-archive blocks).');
}

function cString(field: Uint8Array): string {
  const end = field.indexOf(0);
  return new TextDecoder().decode(field.subarray(0, end === -1 ? field.length : end));
}
