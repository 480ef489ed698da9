import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { describeFileSystemError } from '../fileSystemReason';
import { BUFFER_SOURCE } from '../image/imageDecodeError';
import { IdxFormatError } from './idxFormatError';
import type { IdxArray } from './types';

const gunzipAsync = promisify(gunzip);
const UNSIGNED_BYTE = 0x08;
const HEADER_BYTES = 4;

/**
 * Reads an idx file (MNIST's format) of unsigned bytes: magic 0x00000801 for labels,
 * 0x00000803 for images, and the other dimension counts alike. Gzip is recognised by its magic
 * bytes (1f 8b), not by the `.gz` name, since downloads are often renamed. Sizes are checked
 * against the header, failing with an {@link IdxFormatError}.
 */
export async function readIdx(source: string | Uint8Array): Promise<IdxArray> {
  const path = typeof source === 'string' ? source : BUFFER_SOURCE;
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? await fs.readFile(source) : source;
  } catch (error) {
    throw new IdxFormatError(path, describeFileSystemError(error));
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      const cut = /unexpected end/i.test((error as Error).message);
      throw new IdxFormatError(path, cut ? 'truncated gzip data' : `corrupt gzip data (${(error as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}

function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  if (bytes.length < HEADER_BYTES) {
    throw new IdxFormatError(path, `truncated idx file: ${bytes.length} bytes, too short for the header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const dimensions = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || dimensions === 0) {
    throw new IdxFormatError(
      path,
      `not an idx file: magic number 0x${hex(magic)} (expected 0x00000801 for labels or 0x00000803 for images)`,
    );
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    const dataType = bytes[2].toString(16).padStart(2, '0');
    throw new IdxFormatError(path, `unsupported idx data type 0x${dataType} (only unsigned bytes, 0x08)`);
  }
  const dataStart = HEADER_BYTES + 4 * dimensions;
  if (bytes.length < dataStart) {
    throw new IdxFormatError(path, `truncated idx file: expected ${dataStart} header bytes, got ${bytes.length}`);
  }
  const shape = Array.from({ length: dimensions }, (_, i) => view.getUint32(HEADER_BYTES + 4 * i));
  const expected = dataStart + shape.reduce((product, size) => product * size, 1);
  if (bytes.length < expected) {
    throw new IdxFormatError(path, `truncated idx file: expected ${expected} bytes, got ${bytes.length}`);
  }
  if (bytes.length > expected) {
    throw new IdxFormatError(path, `idx file too long: expected ${expected} bytes, got ${bytes.length}`);
  }
  // A plain Uint8Array view: a Buffer's slice() would share memory where callers expect a copy.
  return { shape, data: new Uint8Array(bytes.buffer, bytes.byteOffset + dataStart, expected - dataStart) };
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
