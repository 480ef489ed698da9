import * as fs from 'fs';
import type { ScoredImage } from '../../protocol/scanResults';
import type { FieldSpec } from './recordFields';
import { FieldReader, fieldSource } from './recordFields';

/** Where one record lies in a store file. */
export interface StorePlace {
  readonly offset: number;
  readonly length: number;
}

/** One line of a store after its header: a scored image (files that could not be read are read again by every scan, so not stored). */
export type StoreRecord = { readonly kind: 'scored' } & ScoredImage;

/**
 * The fields of a record that reopening a store reads (the index's), by how each is read: only
 * these are decoded, the rest of each line is stepped over. A field the index gains is one line here.
 */
export const INDEX_FIELDS = {
  kind: 'string',
  relativePath: 'string',
  instanceScore: 'number',
  size: 'number',
  mtimeMs: 'number',
  contentDigest: 'string',
  tailProbabilities: 'json',
  // What the tails are taken of, so labelled inliers can re-calibrate a reopened scan without reading its records.
  semanticLogProb: 'number',
  measures: 'json',
} as const satisfies FieldSpec;

/** What reopening a store reads of each record: the fields INDEX_FIELDS names. */
export type IndexedRecord = Pick<ScoredImage, Exclude<keyof typeof INDEX_FIELDS, 'kind'> & keyof ScoredImage>;

const indexFieldReader = new FieldReader(INDEX_FIELDS);

const NEWLINE = 0x0a;
/** Bytes read at a time when a store is read through. */
const READ_CHUNK = 1 << 20;
/** Most bytes one copy of consecutive records reads and writes at once. */
const COPY_RUN_BYTES = 1 << 20;

/**
 * The host's results on disk, one JSON object a line (a header, then a record per scored image):
 * a result set appends each chunk as it streams in and reads a record back only when a view
 * asks for it, so the host holds a few numbers per image, not the images. Synchronous on
 * purpose: one append per engine chunk and one read per shown item, each far cheaper than a
 * promise round trip.
 */
export class ResultStore {
  private end: number;
  private closed = false;

  private constructor(
    private readonly fd: number,
    /** Where the store is now (it moves when a finished scan becomes the cache). */
    private location: string,
    end: number,
  ) {
    this.end = end;
  }

  /** A new store at `file` (replacing any), its first line `header`. */
  static create(file: string, header: object): ResultStore {
    const fd = fs.openSync(file, 'w+');
    const store = new ResultStore(fd, file, 0);
    store.appendLines([JSON.stringify(header)]);
    return store;
  }

  /** The file the store is in now. */
  get file(): string {
    return this.location;
  }

  /** Appends records; returns where each went, in order. */
  append(records: readonly StoreRecord[]): StorePlace[] {
    return this.appendLines(records.map((record) => JSON.stringify(record)));
  }

  /**
   * Appends the records at `places` of `source` as they are (the cached results a rescan keeps),
   * in that order; returns where each went. Records that follow one another in the source are
   * copied with one read and one write of at most COPY_RUN_BYTES, so no more than that is held.
   * `onCopied`, if given, sees each record's bytes as they pass (`run[start, end)`, the i-th place).
   */
  copyFrom(source: ResultStore, places: readonly StorePlace[], onCopied?: (run: Buffer, start: number, end: number, i: number) => void): StorePlace[] {
    this.checkOpen();
    const copied: StorePlace[] = [];
    for (let first = 0; first < places.length; ) {
      let last = first;
      let runBytes = places[first].length + 1;
      while (last + 1 < places.length && places[last + 1].offset === places[last].offset + places[last].length + 1 && runBytes + places[last + 1].length + 1 <= COPY_RUN_BYTES) {
        last++;
        runBytes += places[last].length + 1;
      }
      // The run's lines with their newlines: the last one's newline is in the source too (a complete record always has one).
      const run = source.readRaw({ offset: places[first].offset, length: runBytes });
      const shift = this.end - places[first].offset;
      this.writeAtEnd(run);
      for (let i = first; i <= last; i++) {
        copied.push({ offset: places[i].offset + shift, length: places[i].length });
        onCopied?.(run, places[i].offset - places[first].offset, places[i].offset - places[first].offset + places[i].length, i);
      }
      first = last + 1;
    }
    return copied;
  }

  /** The bytes of the record at `place`, without its newline. */
  readRaw(place: StorePlace): Buffer {
    this.checkOpen();
    const buffer = Buffer.alloc(place.length);
    fs.readSync(this.fd, buffer, 0, place.length, place.offset);
    return buffer;
  }

  /** The record at `place`. */
  read(place: StorePlace): StoreRecord {
    const text = this.readRaw(place).toString('utf8');
    try {
      return JSON.parse(text) as StoreRecord;
    } catch {
      throw new Error(`${this.location}: no result record at byte ${place.offset} (the file changed while it was read)`);
    }
  }

  /** Moves the store to `file` (renamed over what is there), still open for reading: a finished scan becomes the cache. */
  moveTo(file: string): void {
    this.checkOpen();
    fs.fsyncSync(this.fd);
    fs.renameSync(this.location, file);
    this.location = file;
  }

  /** `moveTo` without blocking the thread: the flush to disk and the rename run off it (a rewritten cache of 100,000 images is tens of megabytes). */
  async moveToInBackground(file: string): Promise<void> {
    this.checkOpen();
    await new Promise<void>((resolve, reject) => fs.fsync(this.fd, (error) => (error ? reject(error) : resolve())));
    await fs.promises.rename(this.location, file);
    this.location = file;
  }

  /** Closes the file; later reads throw. */
  close(): void {
    if (!this.closed) {
      this.closed = true;
      fs.closeSync(this.fd);
    }
  }

  private appendLines(lines: readonly string[]): StorePlace[] {
    this.checkOpen();
    const places: StorePlace[] = [];
    const parts: Buffer[] = [];
    let offset = this.end;
    for (const text of lines) {
      const line = Buffer.from(text, 'utf8');
      places.push({ offset, length: line.length });
      parts.push(line, NEWLINE_BUFFER);
      offset += line.length + 1;
    }
    this.writeAtEnd(Buffer.concat(parts));
    return places;
  }

  private writeAtEnd(bytes: Buffer): void {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written, bytes.length - written, this.end + written);
    this.end += bytes.length;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`${this.location}: the results of this scan were closed (a newer scan is shown)`);
  }

  /**
   * Opens the store `file` for reading and calls `onRecord` with the INDEX_FIELDS of each complete
   * record after the header; returns the store and its header, or null when the file is missing or
   * its first line is not `isHeader`. A last line cut by a kill, or any line that is not a scored
   * record's object, is skipped.
   */
  static async open<Header>(file: string, isHeader: (value: unknown) => value is Header, onRecord: (record: IndexedRecord, place: StorePlace) => void): Promise<{ store: ResultStore; header: Header } | null> {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return null;
    }
    let header: Header | null = null;
    let position = 0;
    let carry = Buffer.alloc(0);
    const chunk = Buffer.alloc(READ_CHUNK);
    try {
      for (;;) {
        const read = await new Promise<number>((resolve, reject) => fs.read(fd, chunk, 0, READ_CHUNK, position + carry.length, (error, bytes) => (error ? reject(error) : resolve(bytes))));
        if (read === 0) break;
        const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
        const source = fieldSource(data);
        let start = 0;
        for (let newline = data.indexOf(NEWLINE); newline !== -1; newline = data.indexOf(NEWLINE, start)) {
          if (header === null) {
            const value = parseLine(data.subarray(start, newline));
            if (!isHeader(value)) return closeAndNull(fd);
            header = value;
          } else {
            const fields = indexFieldReader.read(source, start, newline);
            if (fields !== null && isIndexedRecord(fields)) onRecord(fields, { offset: position + start, length: newline - start });
          }
          start = newline + 1;
        }
        position += start;
        carry = Buffer.from(data.subarray(start));
      }
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
    if (header === null) return closeAndNull(fd);
    // Appending after a cut last line would join two records: a reopened store is read-only.
    return { store: new ResultStore(fd, file, Number.POSITIVE_INFINITY), header };
  }
}

const NEWLINE_BUFFER = Buffer.from([NEWLINE]);

function parseLine(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    return null;
  }
}

/** A scored record with the fields the index cannot do without (extraction leaves out values of the wrong kind). */
function isIndexedRecord(fields: { readonly kind?: string; readonly relativePath?: string; readonly instanceScore?: number; readonly size?: number; readonly mtimeMs?: number }): fields is IndexedRecord & { kind: 'scored' } {
  return fields.kind === 'scored' && fields.relativePath !== undefined && fields.instanceScore !== undefined && fields.size !== undefined && fields.mtimeMs !== undefined;
}

function closeAndNull(fd: number): null {
  fs.closeSync(fd);
  return null;
}
