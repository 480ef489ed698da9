import * as fs from 'fs';
import type { CalibratedVerdict, ExportedItem, OutlierExport } from '../export';
import { compareByPath, exportedItem, exportWithoutItems, writeCsvExport, writeJsonExport } from '../export';
import { isFlagged } from '../../common/verdict/outlierVerdict';
import { isOutlierScore } from '../../common/threshold/outlierRule';
import type { TextSink } from '../store';
import type { ThresholdSetting } from '../../protocol/scanResults';
import type { FolderItem } from '../signals/folderReasons';
import { judgeFolder } from '../signals/folderReasons';
import type { ResultIndex } from './resultIndex';
import { allCalibrated, exportOrder } from './resultIndex';
import { readRecordAt, ResultLogError } from './resultLogReader';
import type { ScanIdentity } from './resultRecord';
import { scoredImageOf } from './resultRecord';

/** Where an export goes: each target a sink its text is written to (a file written atomically, or stdout). */
export interface ExportTargets {
  readonly json?: (produce: (write: TextSink) => Promise<void>) => Promise<void>;
  readonly csv?: (produce: (write: TextSink) => Promise<void>) => Promise<void>;
}

/** How an export of a log flags: by the calibrated verdict the scan offers, unless the user asks for an LLR cut. */
export interface ExportOptions {
  /** Flag by the scan's calibrated verdict where every image has an outlier score (false: by the LLR threshold, as --perc and --fpr ask). */
  readonly calibratedVerdict?: boolean;
}

/** What an export held, for the command's summary: counts, threshold, the first items and the errors. */
export interface ExportSummary {
  readonly counts: OutlierExport['counts'];
  readonly threshold: ThresholdSetting;
  /** Whether the calibrated verdict flagged the items (else the LLR threshold did). */
  readonly calibrated: boolean;
  readonly top: readonly ExportedItem[];
  readonly errors: OutlierExport['errors'];
}

/**
 * Writes the export of the results `index` points to, reading each item's record from its log as
 * it goes, so no more than the index is held. The text is byte for byte what
 * `JSON.stringify(buildOutlierExport(…), null, 2)` and `toCsv` give for the same results.
 */
export async function writeExportFromIndex(
  index: ResultIndex,
  identity: ScanIdentity,
  threshold: ThresholdSetting,
  targets: ExportTargets,
  topCount = 10,
  options: ExportOptions = {},
): Promise<ExportSummary> {
  const verdict: CalibratedVerdict | undefined = options.calibratedVerdict === false ? undefined : identity.calibrated;
  const calibrated = verdict !== undefined && allCalibrated(index);
  const order = exportOrder(index, calibrated);
  let outliers = 0;
  for (let i = 0; i < index.count; i++) if (calibrated ? isFlagged(index.outlierScores[i]) : isOutlierScore(index.scores[i], threshold.value)) outliers++;
  const counts = { images: index.count, outliers, inliers: index.count - outliers, errors: index.failures.length };
  // The folder rules judge every logged image, whichever run or shard scored it, so a resumed or merged scan exports what one run would.
  const groups = new Set(identity.signals ?? []);
  // In path order, so groups and their members come out the same whatever order the logs (shards, runs) hold them in.
  const measured = index.paths
    .map((relativePath, slot): FolderItem => ({ relativePath, measures: index.measures.at(slot) }))
    .sort((a, b) => compareByPath(a.relativePath, b.relativePath));
  const folder = judgeFolder(measured, { oddSizes: groups.has('checks'), duplicates: groups.has('duplicates') });
  const folderReasons = new Map(folder.items.flatMap((item) => (item.reasons ? [[item.relativePath, item.reasons] as const] : [])));
  const head = exportWithoutItems({ detector: identity.detector, folder: identity.folder, threshold, failures: index.failures, signals: identity.signals, calibrated: verdict, duplicates: folder.duplicates }, counts, calibrated);
  const fds = index.logs.map((log) => fs.openSync(log.file, 'r'));
  try {
    const itemAt = (rank: number): ExportedItem => {
      const slot = order[rank - 1];
      const record = readRecordAt(fds[index.logOf[slot]], { offset: index.offsets[slot], length: index.lengths[slot] });
      if (record.kind !== 'scored' || record.relativePath !== index.paths[slot]) {
        throw new ResultLogError(`${index.logs[index.logOf[slot]].file} changed while the export was written`);
      }
      return exportedItem(scoredImageOf(record), rank, threshold, calibrated, folderReasons.get(record.relativePath));
    };
    const eachItem = async (visit: (item: ExportedItem) => Promise<void>): Promise<void> => {
      for (let rank = 1; rank <= index.count; rank++) await visit(itemAt(rank));
    };
    if (targets.json) await targets.json((write) => writeJsonExport(head, eachItem, write));
    if (targets.csv) await targets.csv((write) => writeCsvExport(head.errors, eachItem, write));
    const top: ExportedItem[] = [];
    for (let rank = 1; rank <= Math.min(topCount, index.count); rank++) top.push(itemAt(rank));
    return { counts, threshold, calibrated, top, errors: head.errors };
  } finally {
    fds.forEach((fd) => fs.closeSync(fd));
  }
}
