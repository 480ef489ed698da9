import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** One file in a zip archive (a VSIX is one). */
export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly size: number;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  /** Where its local header starts. */
  readonly headerOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;

/** The entries of a zip file, read from its central directory (no zip64: a VSIX is far below 4 GiB). */
export function zipEntries(file: string): ZipEntry[] {
  const data = fs.readFileSync(file);
  let end = data.length - 22;
  while (end >= 0 && data.readUInt32LE(end) !== END_OF_DIRECTORY) end--;
  if (end < 0) throw new Error(`${file} is not a zip archive (no end of central directory)`);
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (data.readUInt32LE(offset) !== DIRECTORY_ENTRY) throw new Error(`${file}: bad central directory entry ${index}`);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    entries.push({
      name: data.toString('utf8', offset + 46, offset + 46 + nameLength),
      compressedSize: data.readUInt32LE(offset + 20),
      size: data.readUInt32LE(offset + 24),
      method: data.readUInt16LE(offset + 10),
      headerOffset: data.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of one entry (stored or deflated), read from the archive's data `data`. */
export function entryBytes(data: Buffer, entry: ZipEntry): Buffer {
  const start = entry.headerOffset + 30 + data.readUInt16LE(entry.headerOffset + 26) + data.readUInt16LE(entry.headerOffset + 28);
  const raw = data.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method === 8) return inflateRawSync(raw);
  throw new Error(`${entry.name}: zip method ${entry.method} is neither stored nor deflated`);
}

/** Unpacks every file of `file` whose name starts with `prefix` into `folder` (the prefix removed). */
export function extractZip(file: string, folder: string, prefix = ''): void {
  const data = fs.readFileSync(file);
  for (const entry of zipEntries(file)) {
    if (!entry.name.startsWith(prefix) || entry.name.endsWith('/')) continue;
    const target = path.resolve(folder, entry.name.slice(prefix.length));
    if (!target.startsWith(path.resolve(folder) + path.sep)) throw new Error(`${entry.name} would land outside ${folder}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entryBytes(data, entry));
  }
}
