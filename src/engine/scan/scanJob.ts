import type { SignalGroup, ThresholdSetting } from '../../protocol/scanResults';
import type { DetectorCalibration } from '../signals';
import type { CalibratedVerdict } from '../export';
import type { FolderWalkOptions, ImageFileEntry } from '../data';
import type { LlrDetector } from '../llr';
import type { LoggedResults, ShardSpec } from '../results';
import { resultLogHeader, ResultLogWriter, shardOf, WHOLE_FOLDER } from '../results';
import type { ScanChunk } from './scanFolder';
import { scanFolder } from './scanFolder';
import { isUnchanged } from './unchangedFile';

/** What to scan, with what, and where its results go. */
export interface ScanJobRequest extends FolderWalkOptions {
  readonly folder: string;
  readonly detector: LlrDetector;
  /** A JSON Lines result log: every result is appended as it comes, and a scan started again goes on from it. */
  readonly resultLog?: ResultLogTarget;
  /** Only this shard of the folder's files (by path hash). Default: all. */
  readonly shard?: ShardSpec;
  /** Files the caller already has results for (e.g. the host's cache): not scored again. */
  readonly skip?: (entry: ImageFileEntry) => boolean | Promise<boolean>;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** Which signals to measure and judge by; default all. */
  readonly signals?: ReadonlySet<SignalGroup>;
  /** The detector's known inliers' signals; without it no calibrated verdict is given. */
  readonly calibration?: DetectorCalibration | null;
  /** New results as they come (after they are in the log). */
  readonly onChunk?: (chunk: ScanChunk) => void;
  /** Files done (including those already in the log) and files in all. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A result log and what its header says of the detector (exports written from the log name it). */
export interface ResultLogTarget {
  readonly file: string;
  readonly detector: { readonly name: string; readonly manifestSha256: string };
  /** The detector's saved threshold, which a merge of the log's shards falls back on. */
  readonly detectorThreshold: ThresholdSetting | null;
  /** The calibrated verdict an export of the log flags by (absent: the LLR threshold). */
  readonly calibrated?: CalibratedVerdict;
}

/** What a scan job did. */
export interface ScanJobResult {
  /** Images scored and files failed by this run. */
  readonly scored: number;
  readonly failed: number;
  /** Files whose results the log already held (an earlier, stopped run), or the caller's skip kept. */
  readonly alreadyDone: number;
  /** Files of the shard (or folder) now, and their relative paths: an export from the log keeps only these. */
  readonly fileCount: number;
  readonly present: ReadonlySet<string>;
  readonly seconds: number;
  /** Duplicate groups among the images this run scored (images already in the log take no part). */
  readonly duplicates: { readonly exact: string[][]; readonly near: string[][] };
  /** Images this run scored that are stored as RGB with three equal channels. */
  readonly greyAsRgb: number;
}

/**
 * The scan job, written once for the CLI and the engine process: scores the folder (or one shard of
 * it), appending every result to the result log when one is given, and going on from what that log
 * already holds, so a run killed at any moment and started again scores each file once.
 */
export async function runScanJob(request: ScanJobRequest): Promise<ScanJobResult> {
  const shard = request.shard ?? WHOLE_FOLDER;
  const log = request.resultLog;
  const identity = log && {
    folder: request.folder,
    detector: log.detector,
    detectorThreshold: log.detectorThreshold,
    include: request.include ?? [],
    exclude: request.exclude ?? [],
    ...(request.signals ? { signals: [...request.signals] } : {}),
    ...(log.calibrated ? { calibrated: log.calibrated } : {}),
  };
  const opened = log && identity ? await ResultLogWriter.open(log.file, resultLogHeader(identity, shard)) : null;
  const logged: LoggedResults = opened?.logged ?? { scored: new Map(), failed: new Set(), finished: false };
  let alreadyDone = 0;
  const stillFailing = new Set<string>();
  try {
    const result = await scanFolder(request.folder, request.detector, {
      include: request.include,
      exclude: request.exclude,
      batchSize: request.batchSize,
      signal: request.signal,
      signals: request.signals,
      calibration: request.calibration,
      select: (relativePath) => {
        if (shardOf(relativePath, shard.count) !== shard.index) return false;
        // A file logged as unreadable stays so: reading it again would only repeat the reason.
        if (logged.failed.has(relativePath)) {
          alreadyDone++;
          stillFailing.add(relativePath);
          return false;
        }
        return true;
      },
      skip: async (entry) => {
        const done = (await isUnchanged(logged.scored.get(entry.relativePath), entry)) || (await request.skip?.(entry)) === true;
        if (done) alreadyDone++;
        return done;
      },
      onChunk: async (chunk) => {
        await opened?.writer.append(chunk.items, chunk.failures);
        request.onChunk?.(chunk);
      },
      onProgress: (done, total) => request.onProgress?.(alreadyDone + done, alreadyDone + total),
    });
    const present = new Set([...result.present, ...stillFailing]);
    await opened?.writer.finish(present.size, logged.finished);
    return { scored: result.scored, failed: result.failed, alreadyDone, fileCount: present.size, present, seconds: result.seconds, duplicates: result.duplicates, greyAsRgb: result.greyAsRgb };
  } finally {
    await opened?.writer.close();
  }
}
