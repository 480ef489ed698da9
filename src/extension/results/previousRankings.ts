import * as path from 'path';
import type { PreviousRanking } from '../../protocol/webview';
import type { ResultSet } from './resultSet';

/** What is kept of a detector's ranking once a retrained detector replaces it: its scores by path, not its result set. */
interface KeptRanking {
  readonly detectorName: string;
  readonly trainingImages: number | null;
  readonly threshold: number;
  readonly scoreByPath: ReadonlyMap<string, number>;
}

/**
 * The rankings that "Retrain without flagged" replaced, by the retrained detector's folder and the
 * scanned folder, so that any scan of that folder with the retrained detector is compared with the
 * detector it came from (the panel's "before and after").
 */
export class PreviousRankings {
  private readonly kept = new Map<string, KeptRanking>();

  /** Keeps `before`'s ranking (flagged above `threshold`) as the one `retrainedDetectorFolder` replaced. */
  remember(retrainedDetectorFolder: string, before: ResultSet, threshold: number): void {
    this.kept.set(keyOf(retrainedDetectorFolder, before.folder), {
      detectorName: before.detector.manifest.name,
      trainingImages: before.detector.manifest.data?.imageCount ?? null,
      threshold,
      // The ranked scores (outlier score or LLR): what `threshold` is in.
      scoreByPath: new Map(Array.from(before.slotsByScore(), (slot) => [before.pathAt(slot), before.scoreAt(slot)])),
    });
  }

  /** The replaced ranking over `resultSet`'s images, aligned with its `scores()`; undefined when its detector replaced none. */
  forResultSet(resultSet: ResultSet): PreviousRanking | undefined {
    const kept = this.kept.get(keyOf(resultSet.detector.folder, resultSet.folder));
    if (!kept) return undefined;
    return {
      detectorName: kept.detectorName,
      scores: Float32Array.from(resultSet.slotsByScore(), (slot) => kept.scoreByPath.get(resultSet.pathAt(slot)) ?? Number.NaN),
      threshold: kept.threshold,
      trainingImages: { previous: kept.trainingImages, retrained: resultSet.detector.manifest.data?.imageCount ?? null },
    };
  }
}

function keyOf(detectorFolder: string, scannedFolder: string): string {
  return `${path.resolve(detectorFolder)}\n${path.resolve(scannedFolder)}`;
}
