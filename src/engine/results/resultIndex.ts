import type { FailedImage } from '../../protocol/scanResults';
import { FolderMeasureTable } from '../signals/folderMeasureTable';
import type { RecordPlace } from './resultLogReader';
import { readResultLog } from './resultLogReader';
import type { ResultLogHeader } from './resultRecord';

/** A log's header and whether its scan finished. */
export interface IndexedLog {
  readonly file: string;
  readonly header: ResultLogHeader;
  readonly finished: boolean;
}

/**
 * Where every result of one or more logs lies, without the results: per scored image its score,
 * path and place in its log (typed arrays, a few dozen bytes an image); failures in full (they
 * are few). The latest record of a path wins within a log.
 */
export interface ResultIndex {
  readonly logs: readonly IndexedLog[];
  /** Live scored images, 0 … count − 1. */
  readonly count: number;
  readonly scores: Float64Array;
  /** Each image's calibrated outlier score (NaN where the scan gave none), index-aligned with `scores`. */
  readonly outlierScores: Float64Array;
  readonly paths: readonly string[];
  readonly logOf: Uint32Array;
  readonly offsets: Float64Array;
  readonly lengths: Uint32Array;
  readonly failures: readonly FailedImage[];
  /** Paths found in more than one log (shards that overlap). */
  readonly duplicatePaths: readonly string[];
  /** What the folder rules (odd sizes, duplicates) read of each live image's measures where the scan took them, a row per slot. */
  readonly measures: FolderMeasureTable;
}

/** Reads `files` (result logs) into a ResultIndex; `keep` drops paths no longer in the folder. */
export async function indexResultLogs(files: readonly string[], keep: (relativePath: string) => boolean = () => true): Promise<ResultIndex> {
  const slotOf = new Map<string, number>();
  const failureOf = new Map<string, { reason: string; log: number }>();
  let scores: number[] = [];
  let outlierScores: number[] = [];
  let measures = new FolderMeasureTable();
  const paths: string[] = [];
  let logOf: number[] = [];
  let offsets: number[] = [];
  let lengths: number[] = [];
  const alive: boolean[] = [];
  const duplicates = new Set<string>();
  const logs: IndexedLog[] = [];
  for (const [log, file] of files.entries()) {
    const summary = await readResultLog(file, (record, place: RecordPlace) => {
      if (record.kind !== 'scored' && record.kind !== 'failed') return;
      if (!keep(record.relativePath)) return;
      const slot = slotOf.get(record.relativePath);
      const earlierLog = slot !== undefined && alive[slot] ? logOf[slot] : failureOf.get(record.relativePath)?.log;
      if (earlierLog !== undefined && earlierLog !== log) duplicates.add(record.relativePath);
      if (record.kind === 'failed') {
        if (slot !== undefined) alive[slot] = false;
        failureOf.set(record.relativePath, { reason: record.reason, log });
        return;
      }
      failureOf.delete(record.relativePath);
      const target = slot ?? paths.length;
      if (slot === undefined) {
        slotOf.set(record.relativePath, target);
        paths.push(record.relativePath);
      }
      scores[target] = record.instanceScore ?? Number.NaN;
      outlierScores[target] = record.outlierScore ?? Number.NaN;
      measures.set(target, record.measures);
      logOf[target] = log;
      offsets[target] = place.offset;
      lengths[target] = place.length;
      alive[target] = true;
    });
    logs.push({ file, header: summary.header, finished: summary.finished });
  }
  // Compact away images whose latest record is a failure.
  const livePaths: string[] = [];
  const keepSlots: number[] = [];
  paths.forEach((relativePath, slot) => {
    if (alive[slot]) {
      keepSlots.push(slot);
      livePaths.push(relativePath);
    }
  });
  const pick = (values: number[]): number[] => keepSlots.map((slot) => values[slot]);
  const result: ResultIndex = {
    logs,
    count: keepSlots.length,
    scores: Float64Array.from(pick(scores)),
    outlierScores: Float64Array.from(pick(outlierScores)),
    paths: livePaths,
    logOf: Uint32Array.from(pick(logOf)),
    offsets: Float64Array.from(pick(offsets)),
    lengths: Uint32Array.from(pick(lengths)),
    failures: [...failureOf].map(([relativePath, failure]) => ({ relativePath, reason: failure.reason })),
    duplicatePaths: [...duplicates].sort(),
    measures: measures.pick(keepSlots),
  };
  scores = outlierScores = logOf = offsets = lengths = [];
  measures = new FolderMeasureTable();
  return result;
}

/** Whether every indexed image has a calibrated outlier score (the calibrated verdict can rank them). */
export function allCalibrated(index: ResultIndex): boolean {
  return index.count > 0 && index.outlierScores.every(Number.isFinite);
}

/** The index's scored images in export order: score highest first (the calibrated outlier score under the calibrated verdict, else the LLR), ties by LLR, then by path (code-unit order). */
export function exportOrder(index: ResultIndex, calibrated = false): Uint32Array {
  const order = new Uint32Array(index.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const { scores, outlierScores, paths } = index;
  const primary = calibrated ? outlierScores : scores;
  // Same comparison as compareForExport, on the index instead of whole records.
  return order.sort((a, b) => primary[b] - primary[a] || scores[b] - scores[a] || (paths[a] < paths[b] ? -1 : paths[a] > paths[b] ? 1 : 0));
}
