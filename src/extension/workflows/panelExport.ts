import type { CalibratedVerdict, ExportedItem, ExportRows, OutlierExport } from '../../engine/export/outlierExport';
import { exportedItem, exportWithoutItems } from '../../engine/export/outlierExport';
import type { EachExportItem } from '../../engine/export/streamedExport';
import { writeCsvExport, writeJsonExport } from '../../engine/export/streamedExport';
import { writeStreamedFileAtomic } from '../../engine/store/atomicWrite';
import { isOutlierScore } from '../../common/threshold/outlierRule';
import type { GroundTruthLabel, OutlierReason, ScoredImage, ThresholdSetting } from '../../protocol/scanResults';
import type { FolderFindings } from '../results/folderFindings';
import type { ResultSet } from '../results/resultSet';

/** The two export formats. */
export type ExportFormat = 'json' | 'csv';

/** What the panel exports: the shown results, under the threshold set, with the folder's findings. */
export interface PanelExportRequest {
  readonly resultSet: ResultSet;
  readonly threshold: ThresholdSetting;
  readonly rows: ExportRows;
  readonly format: ExportFormat;
  readonly findings: FolderFindings;
}

/** How the panel's export flags and lists each scored image: the one place its verdict reaches the export. */
export interface PanelExportVerdict {
  /** The calibrated verdict the items are flagged by (the panel's signals, cuts and score threshold); absent under the LLR ranking. */
  readonly calibrated?: CalibratedVerdict;
  /** Whether the image in `slot` is flagged, from the index (without reading its record): the export's counts come before its items. */
  flaggedAt(slot: number): boolean;
  /** The image as the export lists it at `rank`; its `isOutlier` agrees with `flaggedAt`. */
  item(image: ScoredImage, rank: number, folderReasons: readonly OutlierReason[] | undefined, label: GroundTruthLabel | undefined): ExportedItem;
}

/**
 * The panel's verdict: under the LLR ranking the LLR against the threshold set; under the verdict
 * ranking each image's outlier score and reasons under the panel's signals and cuts, flagged above
 * the threshold set (in outlier-score units).
 */
export function panelExportVerdict(resultSet: ResultSet, threshold: ThresholdSetting): PanelExportVerdict {
  const ranking = resultSet.ranking;
  // The detector's calibration, with the images labelled inliers here where there are any.
  const calibration = resultSet.calibration.current;
  const calibrated: CalibratedVerdict | undefined = ranking.mode === 'verdict' && calibration
    ? { signals: ranking.signals.filter((signal) => resultSet.tailSignals.includes(signal)), calibration: calibration.source, cuts: ranking.cuts, scoreThreshold: threshold.value }
    : undefined;
  return {
    calibrated,
    // The ranked score: the LLR, or the outlier score under the panel's signals and cuts.
    flaggedAt: (slot) => isOutlierScore(resultSet.scoreAt(slot), threshold.value),
    item: (image, rank, folderReasons, label) =>
      calibrated
        ? exportedItem(resultSet.judged(image), rank, threshold, true, folderReasons, label, threshold.value)
        : exportedItem(image, rank, threshold, false, folderReasons, label),
  };
}

/**
 * Writes the panel's export to `file` (a temporary file, renamed into place when complete),
 * reading each image's record from the store as its item is written: the host holds one record
 * at a time, whatever the folder's size. The text is what `buildOutlierExport` and
 * `JSON.stringify(…, null, 2)` / `toCsv` give for the same results. Returns the counts.
 */
export async function writePanelExport(file: string, request: PanelExportRequest): Promise<OutlierExport['counts']> {
  const { resultSet, threshold, rows, findings } = request;
  const verdict = panelExportVerdict(resultSet, threshold);
  // The index's order is the export's (score descending, ties by path), so the flagged are its first ranks.
  const order = resultSet.slotsByScore();
  let outliers = 0;
  for (const slot of order) if (verdict.flaggedAt(slot)) outliers++;
  const failures = resultSet.failuresByPath();
  const counts = { images: order.length, outliers, inliers: order.length - outliers, errors: failures.length };
  const listed = rows === 'flagged' ? outliers : order.length;
  const labelled = !resultSet.groundTruth.isEmpty && order.subarray(0, listed).some((slot) => resultSet.labelOf(resultSet.pathAt(slot)) !== undefined);
  const head = exportWithoutItems(
    {
      detector: { name: resultSet.detector.manifest.name, manifestSha256: resultSet.detector.manifestSha256 },
      folder: resultSet.folder,
      // The threshold as the user set it (score, percentile or FPR), in the ranked score's units; under the verdict its value is `verdict.scoreThreshold`.
      threshold,
      ...(verdict.calibrated ? { calibrated: verdict.calibrated } : {}),
      failures,
      rows,
      // Judged over the whole folder, whichever run scored each image (see FolderJudge).
      duplicates: { exact: findings.duplicates.exact.map((group) => [...group]), near: findings.duplicates.near.map((group) => [...group]) },
    },
    counts,
    verdict.calibrated !== undefined,
  );
  const eachItem: EachExportItem = async (visit) => {
    for (let rank = 1; rank <= listed; rank++) {
      const image = resultSet.imageAt(order[rank - 1]);
      const item = verdict.item(image, rank, findings.reasons.get(image.relativePath), labelled ? resultSet.labelOf(image.relativePath) : undefined);
      await visit(item);
    }
  };
  await writeStreamedFileAtomic(file, (write) => (request.format === 'json' ? writeJsonExport(head, eachItem, write) : writeCsvExport(head.errors, eachItem, write, labelled)));
  return counts;
}
