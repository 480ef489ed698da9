import type { FailedImage, ImageMeasures, OutlierReason, ScoredImage, SignalGroup } from '../../protocol/scanResults';
import { RACY_STAT_WINDOW_MS, SIGNAL_GROUPS } from '../../protocol/scanResults';
import type { FolderWalkOptions, ImageFileEntry } from '../data';
import { decodeImages, walkImageFolder } from '../data';
import type { LlrDetector } from '../llr';
import { toImageSet } from '../llr';
import { throwIfAborted } from '../llr/abort';
import type { DetectorCalibration, FolderItem } from '../signals';
import { calibratedSignalsOf, FolderMeasureTable, judgeFolder, judgeImage, measureDecodedImage } from '../signals';
import { relativeTo } from './relativePath';

/** Options of `scanFolder`. */
export interface ScanOptions extends FolderWalkOptions {
  readonly batchSize?: number;
  /** Images decoded before they are scored and streamed together (several batches: workers split them). */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
  /** Which files (and unreadable paths) of the walk this scan is about, by relative path (e.g. one shard). Default: all. */
  readonly select?: (relativePath: string) => boolean;
  /** Files already scored (e.g. from a cache) are skipped: a rescan scores only new or changed files. */
  readonly skip?: (entry: ImageFileEntry) => boolean | Promise<boolean>;
  /** Results as they come, one batch at a time (and failures as they happen); the scan waits for a returned promise (e.g. a log write). */
  readonly onChunk?: (chunk: ScanChunk) => void | Promise<void>;
  /** Files done (scored or failed) and files found. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Which signals to measure and judge by; default all ({@link SIGNAL_GROUPS}). */
  readonly signals?: ReadonlySet<SignalGroup>;
  /** The detector's known inliers' signals; without it no calibrated verdict is given. */
  readonly calibration?: DetectorCalibration | null;
}

/** A piece of a scan's results, streamed while the scan runs. */
export interface ScanChunk {
  readonly items: ScoredImage[];
  readonly failures: FailedImage[];
}

/** What a scan did (its results went out through `onChunk`; none are held, so a scan's memory stays flat). */
export interface ScanResult {
  readonly scored: number;
  readonly failed: number;
  /** Selected files found by the walk (scored, failed to decode, or skipped). */
  readonly fileCount: number;
  /** Relative paths of the selected files and unreadable paths the walk found: the folder as it is now. */
  readonly present: ReadonlySet<string>;
  readonly skipped: number;
  readonly seconds: number;
  /** Duplicate groups (paths), exact and near; empty when duplicates were not asked for. */
  readonly duplicates: { readonly exact: string[][]; readonly near: string[][] };
  /** Images stored as RGB whose three channels are equal everywhere. */
  readonly greyAsRgb: number;
  /** Reasons only the whole folder gives (odd size, duplicates), by path: streamed results lack them, exports add them. */
  readonly folderReasons: ReadonlyMap<string, readonly OutlierReason[]>;
}

/**
 * Scores every image under `folder` with `detector`: walk, decode to the detector's shape, score
 * both models a batch at a time. A file that cannot be read or decoded becomes a failure with its
 * reason, and the scan goes on. Results stream out through `onChunk`; none are kept.
 */
export async function scanFolder(folder: string, detector: LlrDetector, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const walk = await walkImageFolder(folder, options);
  const select = options.select ?? ((): boolean => true);
  const failures: FailedImage[] = walk.errors.map((error) => ({ relativePath: relativeTo(folder, error.path), reason: error.reason })).filter((failure) => select(failure.relativePath));
  const selected = options.select ? walk.files.filter((entry) => select(entry.relativePath)) : walk.files;
  const present = new Set([...selected.map((entry) => entry.relativePath), ...failures.map((failure) => failure.relativePath)]);
  const entries = options.skip ? await unskipped(selected, options.skip) : selected;
  const total = entries.length + failures.length;
  let scored = 0;
  let failed = failures.length;
  const [height, width, channels] = detector.imageShape;
  const imageSize = height * width * channels;
  const batchSize = options.batchSize ?? detector.scoreBatchSize();
  const chunkSize = Math.max(batchSize, options.chunkSize ?? 4 * batchSize);
  if (failures.length > 0) {
    await options.onChunk?.({ items: [], failures });
  }

  let batchEntries: ImageFileEntry[] = [];
  let batchDigests: Array<string | undefined> = [];
  let batchMeasures: Array<ImageMeasures | undefined> = [];
  const groups = options.signals ?? new Set(SIGNAL_GROUPS);
  const measuring = groups.has('checks') || groups.has('duplicates');
  const calibratedSignals = calibratedSignalsOf(groups);
  // Folder rules (odd sizes, duplicates) need every image's measures: held as a compact table, the results are not held.
  const measuredPaths: string[] = [];
  const measuredTable = new FolderMeasureTable();
  let batchPixels = new Uint8Array(chunkSize * imageSize);
  let pendingFailures: FailedImage[] = [];
  const flush = async (): Promise<void> => {
    const chunkItems: ScoredImage[] = [];
    if (batchEntries.length > 0) {
      const images = toImageSet(batchPixels.subarray(0, batchEntries.length * imageSize), detector.imageShape);
      const scores = await detector.score(images, { batchSize, signal: options.signal });
      batchEntries.forEach((entry, i) => {
        const measures = batchMeasures[i];
        const item: ScoredImage = {
          relativePath: entry.relativePath,
          instanceScore: scores.instanceScore[i],
          semanticLogProb: scores.semanticLogProb[i],
          backgroundLogProb: scores.backgroundLogProb[i],
          size: entry.size,
          mtimeMs: entry.mtimeMs,
          ...(batchDigests[i] === undefined ? {} : { contentDigest: batchDigests[i] }),
          ...(measures ? { measures } : {}),
        };
        chunkItems.push(judgeImage(item, options.calibration ?? null, calibratedSignals));
        if (measures) {
          measuredPaths.push(entry.relativePath);
          measuredTable.push(measures);
        }
      });
      scored += chunkItems.length;
    }
    if (chunkItems.length > 0 || pendingFailures.length > 0) {
      await options.onChunk?.({ items: chunkItems, failures: pendingFailures });
    }
    options.onProgress?.(scored + failed, total);
    batchEntries = [];
    batchDigests = [];
    batchMeasures = [];
    batchPixels = new Uint8Array(chunkSize * imageSize);
    pendingFailures = [];
  };

  // A file written moments before it is read could be written again keeping its size and mtime:
  // the digest of the bytes scored goes with its result (git's "racy" index entries, the same idea).
  const contentDigestFor = (entry: ImageFileEntry): boolean => Date.now() - entry.mtimeMs < RACY_STAT_WINDOW_MS;
  for await (const result of decodeImages(entries, { height, width, channels: channels as 1 | 3 }, { contentDigestFor })) {
    throwIfAborted(options.signal, 'scan');
    if ('error' in result) {
      failed++;
      pendingFailures.push({ relativePath: result.entry.relativePath, reason: result.error.reason });
      continue;
    }
    batchPixels.set(result.image.pixels, batchEntries.length * imageSize);
    batchEntries.push(result.entry);
    batchDigests.push(result.image.contentDigest);
    batchMeasures.push(measuring ? measureDecodedImage(result.image) : undefined);
    if (batchEntries.length === chunkSize) {
      await flush();
    }
  }
  await flush();
  const measured = measuredPaths.map((relativePath, row): FolderItem => ({ relativePath, measures: measuredTable.at(row) }));
  const folderJudged = judgeFolder(measured, { oddSizes: groups.has('checks'), duplicates: groups.has('duplicates') });
  return {
    scored,
    failed,
    fileCount: selected.length,
    present,
    skipped: selected.length - entries.length,
    seconds: (performance.now() - started) / 1000,
    duplicates: folderJudged.duplicates,
    greyAsRgb: folderJudged.greyAsRgb,
    folderReasons: new Map(folderJudged.items.flatMap((item) => (item.reasons ? [[item.relativePath, item.reasons] as const] : []))),
  };
}

/** The entries `skip` does not skip, asked in walk order (`skip` may read files). */
async function unskipped(entries: readonly ImageFileEntry[], skip: (entry: ImageFileEntry) => boolean | Promise<boolean>): Promise<ImageFileEntry[]> {
  const kept: ImageFileEntry[] = [];
  for (const entry of entries) {
    if (!(await skip(entry))) {
      kept.push(entry);
    }
  }
  return kept;
}
