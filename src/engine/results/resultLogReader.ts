import * as fs from 'fs';
import type { ResultLogHeader, ResultLogRecord } from './resultRecord';
import { parseResultLogLine, RESULT_LOG_FORMAT } from './resultRecord';

/** Where a record lies in its log file, to read it again without holding it. */
export interface RecordPlace {
  readonly offset: number;
  readonly length: number;
}

/** What reading a whole log found. */
export interface ResultLogSummary {
  readonly header: ResultLogHeader;
  /** Bytes up to the end of the last complete line: what a writer going on keeps. */
  readonly completeBytes: number;
  /** Whether the last record is an end record (the scan of its shard finished). */
  readonly finished: boolean;
}

/** A log that is not a result log of this version, named with the reason. */
export class ResultLogError extends Error {}

const NEWLINE = 0x0a;

/**
 * Reads the log `file` line by line without holding it, calling `onRecord` for every complete
 * record after the header with its place in the file. A last line without its newline (a kill cut
 * it) is ignored, as is any line that does not parse. Throws ResultLogError when the file is not
 * a result log (no valid header) or is of another version.
 */
export async function readResultLog(file: string, onRecord: (record: ResultLogRecord, place: RecordPlace) => void = () => undefined): Promise<ResultLogSummary> {
  let header: ResultLogHeader | null = null;
  let completeBytes = 0;
  let finished = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let position = 0;
  const takeLine = (line: Buffer, lineOffset: number): void => {
    const record = parseResultLogLine(line.toString('utf8'));
    completeBytes = lineOffset + line.length + 1;
    if (header === null) {
      if (record?.kind !== 'header') throw new ResultLogError(`${file}: not an Outlier Lens result log (its first line is no header)`);
      if (record.version !== RESULT_LOG_FORMAT.version) {
        throw new ResultLogError(`${file}: result log version ${record.version}, this Outlier Lens reads version ${RESULT_LOG_FORMAT.version}`);
      }
      header = record;
      return;
    }
    if (record === null || record.kind === 'header') return;
    finished = record.kind === 'end';
    onRecord(record, { offset: lineOffset, length: line.length });
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE, start); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, newline);
      const line = pendingBytes > 0 ? Buffer.concat([...pending, piece]) : piece;
      takeLine(line, position - pendingBytes);
      position += piece.length + 1;
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
      position += rest.length;
    }
  }
  if (header === null) throw new ResultLogError(`${file}: not an Outlier Lens result log (empty, or its header was cut)`);
  return { header, completeBytes, finished };
}

/** Reads the record at `place` of the log open as `fd` (synchronous: an export reads one record per item, and a promise each costs more than the read). */
export function readRecordAt(fd: number, place: RecordPlace): ResultLogRecord {
  const buffer = Buffer.alloc(place.length);
  fs.readSync(fd, buffer, 0, place.length, place.offset);
  const record = parseResultLogLine(buffer.toString('utf8'));
  if (record === null) throw new ResultLogError(`result log changed while it was read (no record at byte ${place.offset})`);
  return record;
}
