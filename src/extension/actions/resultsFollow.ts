// The scan's results follow the files the panel moved or deleted, without a rescan, and the results
// cache on disk says the same, so the next scan of the folder reuses every score under its new path.
import type { FailedImage, ScoredImage } from '../../protocol/scanResults';
import { readModelsDigest } from '../detectors/readDetectorSummary';
import { relativeInside } from '../groundTruth/groundTruthRules';
import type { ResultCache } from '../results/resultCache';
import type { ResultSet } from '../results/resultSet';

/** Results taken out of a result set, kept so an undo can put them back as they were. */
export interface TakenResults {
  readonly scored: readonly ScoredImage[];
  readonly failed: readonly FailedImage[];
}

/**
 * The path a file at `fsPath` has in the results of a scan of `folder`, or null when a scan would
 * not see it: outside the folder, or under a dot folder (scans skip those, `.outliers/` too).
 */
export function pathInScan(folder: string, fsPath: string): string | null {
  const relative = relativeInside(folder, fsPath);
  if (relative === null || relative === '') return null;
  return relative.split('/').some((segment) => segment.startsWith('.')) ? null : relative;
}

/**
 * Applies moves (old relative path → new absolute path) to the results: an image moved to a place
 * the scan sees keeps its scores under its new path; one moved out of the scan's reach leaves the
 * results. Returns what was there before, for an undo.
 */
export function followMoves(resultSet: ResultSet, moves: ReadonlyArray<{ readonly relativePath: string; readonly to: string }>): TakenResults {
  const taken = resultSet.remove(moves.map((move) => move.relativePath));
  const newPaths = new Map<string, string>();
  for (const move of moves) {
    const newPath = pathInScan(resultSet.folder, move.to);
    if (newPath !== null) newPaths.set(move.relativePath, newPath);
  }
  const scored = taken.scored.flatMap((image) => {
    const relativePath = newPaths.get(image.relativePath);
    return relativePath === undefined ? [] : [{ ...image, relativePath }];
  });
  const failed = taken.failed.flatMap((failure) => {
    const relativePath = newPaths.get(failure.relativePath);
    return relativePath === undefined ? [] : [{ ...failure, relativePath }];
  });
  resultSet.add(scored, failed);
  return taken;
}

/** Puts results back as they were before `followMoves` or a delete (the files are back on disk). */
export function restoreResults(resultSet: ResultSet, pathsNow: readonly string[], before: TakenResults): void {
  resultSet.remove(pathsNow);
  resultSet.add(before.scored, before.failed);
}

/** Rewrites the folder's results cache from the result set (in steps that let the editor run; temporary file, then rename). */
export async function saveResults(cache: ResultCache, resultSet: ResultSet): Promise<void> {
  const modelsDigest = await readModelsDigest(resultSet.detector.folder);
  await cache.rewrite({ folder: resultSet.folder, detectorFolder: resultSet.detector.folder, modelsDigest, records: () => resultSet.storedRecords() });
}
