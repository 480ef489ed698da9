import * as path from 'path';
import * as vscode from 'vscode';
import { countOutliers } from '../../common/threshold/outlierRule';
import { isInside } from '../detectors/detectorLocations';
import { summariseGroundTruth } from '../groundTruth/groundTruthSummary';
import type { FolderMark } from '../groundTruth/groundTruthRules';
import type { ResultSet } from '../results/resultSet';
import type { ExtensionServices } from '../services';
import { scanWithDetector } from './scanWorkflow';
import { trainDetector } from './trainWorkflow';

/** A path as a glob that matches only itself (picomatch's special characters escaped). */
export function literalGlob(relativePath: string): string {
  return relativePath.replace(/[\\*?[\]{}()!+@^$|]/g, (character) => `\\${character}`);
}

/**
 * Exclude globs for a retraining of `resultSet`'s folder: every image above `threshold`, and every
 * folder marked as outliers inside the scanned folder (relative POSIX paths).
 */
export function retrainExcludes(resultSet: ResultSet, threshold: number, marks: readonly FolderMark[]): string[] {
  const flagged = Array.from(resultSet.slotsByScore()).filter((slot) => Math.fround(resultSet.scoreAt(slot)) > threshold).map((slot) => literalGlob(resultSet.pathAt(slot)));
  const outlierFolders = marks
    .filter((mark) => mark.label === 'outlier' && isInside(mark.folder, resultSet.folder) && path.resolve(mark.folder) !== path.resolve(resultSet.folder))
    .map((mark) => `${literalGlob(path.relative(resultSet.folder, mark.folder).split(path.sep).join('/'))}/**`);
  return [...flagged, ...outlierFolders];
}

/**
 * "Retrain without flagged images": trains a new detector (beside the old one, with its image shape,
 * fit and seed) on the scanned folder without the images above the threshold and the folders marked as
 * outliers, scans the folder with it, and with labels says the AUROC before and after.
 */
export async function retrainWithoutFlagged(services: ExtensionServices, scanId: string, marks: readonly FolderMark[]): Promise<ResultSet | undefined> {
  const before = services.model.resultSet;
  if (!before || before.scanId !== scanId) {
    services.log.info(`retrain for scan ${scanId} ignored: it is not the scan shown`);
    return undefined;
  }
  if (services.model.jobRunning) {
    void vscode.window.showInformationMessage('Outlier Lens: a job is running; cancel it or wait before retraining.');
    return undefined;
  }
  const threshold = services.model.threshold.value;
  const flagged = countOutliers(before.scores(), threshold);
  const exclude = retrainExcludes(before, threshold, marks);
  services.log.info(`retraining on ${before.folder} without ${flagged} flagged images and ${exclude.length - flagged} folders marked as outliers`);
  const aurocBefore = summariseGroundTruth(before.scores(), before.labelCodes()).auroc;
  const detector = await trainDetector(services, before.folder, exclude, before.detector.manifest);
  if (!detector) return undefined;
  services.model.previousRankings.remember(detector.folder, before, threshold);
  const after = await scanWithDetector(services, before.folder, detector);
  if (!after) return undefined;
  const aurocAfter = summariseGroundTruth(after.scores(), after.labelCodes()).auroc;
  const comparison = aurocBefore !== null && aurocAfter !== null ? `: AUROC on the labelled images ${aurocBefore.toFixed(3)} before, ${aurocAfter.toFixed(3)} after` : '';
  const message = `retrained without ${flagged} flagged images as ${detector.manifest.name} (${detector.manifest.data?.imageCount ?? '?'} training images)${comparison}`;
  services.log.info(message);
  void vscode.window.showInformationMessage(`Outlier Lens: ${message}.`);
  return after;
}
