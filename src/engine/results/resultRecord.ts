import type { FailedImage, ScoredImage, SignalGroup, ThresholdSetting } from '../../protocol/scanResults';
import type { CalibratedVerdict } from '../export';

/** Name and version of the result log format (JSON Lines); readers refuse other versions. */
export const RESULT_LOG_FORMAT = { format: 'outlier-lens-results', version: 1 } as const;

/** Which part of a folder a log holds: shard `index` of `count` (0-based; an unsharded scan is 0 of 1). */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** What a scan was: every log of one scan (or of its shards) has the same identity. */
export interface ScanIdentity {
  readonly folder: string;
  readonly detector: { readonly name: string; readonly manifestSha256: string };
  /** The detector's saved threshold when the scan began, so a merge needs no detector. */
  readonly detectorThreshold: ThresholdSetting | null;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** The signal groups the scan measures (absent: the LLR only). */
  readonly signals?: readonly SignalGroup[];
  /** The calibrated verdict its export flags by, where the detector has a calibration (absent: the LLR threshold). */
  readonly calibrated?: CalibratedVerdict;
}

/** The first line of a log: the scan it belongs to and the shard it holds. */
export interface ResultLogHeader extends ScanIdentity {
  readonly kind: 'header';
  readonly format: typeof RESULT_LOG_FORMAT.format;
  readonly version: number;
  readonly shard: ShardSpec;
}

/** One scored image (every field of ScoredImage, so new per-image fields travel without changes here). */
export type ScoredRecord = { readonly kind: 'scored' } & ScoredImage;

/** One file that could not be scored, with its reason. */
export type FailedRecord = { readonly kind: 'failed' } & FailedImage;

/** The last line of a finished scan: the log then holds every file of its shard. */
export interface ResultLogEnd {
  readonly kind: 'end';
  /** Files of the shard at the end of the scan (scored + failed). */
  readonly files: number;
}

/** One line of a result log. */
export type ResultLogRecord = ResultLogHeader | ScoredRecord | FailedRecord | ResultLogEnd;

/** The header line for a scan of `identity`, shard `shard`. */
export function resultLogHeader(identity: ScanIdentity, shard: ShardSpec): ResultLogHeader {
  return { kind: 'header', format: RESULT_LOG_FORMAT.format, version: RESULT_LOG_FORMAT.version, ...identity, shard };
}

/** A scored image as a log line's record. */
export function scoredRecord(image: ScoredImage): ScoredRecord {
  return { kind: 'scored', ...image };
}

/** A failed file as a log line's record. */
export function failedRecord(failure: FailedImage): FailedRecord {
  return { kind: 'failed', relativePath: failure.relativePath, reason: failure.reason };
}

/** The image a scored record holds (the record without its kind). */
export function scoredImageOf(record: ScoredRecord): ScoredImage {
  const image: { -readonly [Key in keyof ScoredRecord]?: ScoredRecord[Key] } = { ...record };
  delete image.kind;
  return image as ScoredImage;
}

/** Whether two scans are the same scan (same folder, detector, file filters and signals), whatever their shards. */
export function sameScan(a: ScanIdentity, b: ScanIdentity): boolean {
  return (
    a.folder === b.folder &&
    a.detector.manifestSha256 === b.detector.manifestSha256 &&
    JSON.stringify(a.include) === JSON.stringify(b.include) &&
    JSON.stringify(a.exclude) === JSON.stringify(b.exclude) &&
    JSON.stringify(a.signals ?? ['llr']) === JSON.stringify(b.signals ?? ['llr']) &&
    JSON.stringify(a.calibrated ?? null) === JSON.stringify(b.calibrated ?? null)
  );
}

/** Parses one log line; null for a line that is not a complete record (a kill can cut the last one). */
export function parseResultLogLine(line: string): ResultLogRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  switch (record.kind) {
    case 'header':
      return record.format === RESULT_LOG_FORMAT.format && typeof record.folder === 'string' ? (value as ResultLogHeader) : null;
    case 'scored':
      // A non-finite score is written as null by JSON: still a complete record.
      return typeof record.relativePath === 'string' && (typeof record.instanceScore === 'number' || record.instanceScore === null) ? (value as ScoredRecord) : null;
    case 'failed':
      return typeof record.relativePath === 'string' && typeof record.reason === 'string' ? (value as FailedRecord) : null;
    case 'end':
      return typeof record.files === 'number' ? (value as ResultLogEnd) : null;
    default:
      return null;
  }
}
