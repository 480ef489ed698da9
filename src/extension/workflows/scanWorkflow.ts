import { randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { detectorRoots, isInsideWorkspace } from '../detectors/detectorLocations';
import { askForFolder, pickDetector } from '../detectors/detectorPicker';
import type { DetectorSummary } from '../detectors/detectorSummary';
import { listDetectors, readDetectorSummary, readModelsDigest } from '../detectors/readDetectorSummary';
import { summariseGroundTruth } from '../groundTruth/groundTruthSummary';
import { knownFiles } from '../results/resultCache';
import { ResultSet } from '../results/resultSet';
import { countOutliers } from '../../common/threshold/outlierRule';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings/settings';
import { runWithCpuRetry } from './runWithCpuRetry';
import { trainDetector } from './trainWorkflow';
import { explainRestricted, RESTRICTED_DETECTORS } from './workspaceTrust';

/**
 * Scan Folder: the folder (from the Explorer or a dialog), a detector from the quick pick (or a
 * new one, trained here, on a folder marked as inliers (`trustedFolders`) or elsewhere), then the scan.
 */
export async function scanFolderCommand(services: ExtensionServices, target?: vscode.Uri, trustedFolders: readonly string[] = []): Promise<ResultSet | undefined> {
  const folderUri = target ?? (await askForFolder('Outlier Lens: scan a folder for outliers', 'Scan'));
  if (!folderUri) {
    return undefined;
  }
  const folder = folderUri.fsPath;
  const detector = await chooseDetector(services, folder, trustedFolders);
  return detector ? scanWithDetector(services, folder, detector) : undefined;
}

/** The detector for a scan of `folder`: picked, trained here or on another folder, or browsed to. */
async function chooseDetector(services: ExtensionServices, folder: string, trustedFolders: readonly string[]): Promise<DetectorSummary | undefined> {
  const settings = readSettings(vscode.Uri.file(folder));
  const trusted = vscode.workspace.isTrusted;
  // In Restricted Mode only detectors outside the workspace (the global store) are listed.
  const roots = detectorRoots(settings.detectorFolder, services.globalDetectorRoot).filter((root) => trusted || !isInsideWorkspace(root));
  const detectors = (await Promise.all(roots.map(listDetectors))).flat();
  const choice = await pickDetector(path.basename(folder), detectors, trusted ? null : RESTRICTED_DETECTORS, trustedFolders);
  switch (choice?.kind) {
    case undefined:
      return undefined;
    case 'detector':
      return choice.summary;
    case 'trainHere':
      return trainDetector(services, folder);
    case 'trainOn':
      return trainDetector(services, choice.folder);
    case 'trainOther': {
      const other = await askForFolder('Outlier Lens: train a detector on a folder of normal images', 'Train');
      return other ? trainDetector(services, other.fsPath) : undefined;
    }
    case 'browse': {
      const picked = await vscode.window.showOpenDialog({ title: 'Outlier Lens: choose a detector folder', openLabel: 'Use Detector', canSelectFolders: true, canSelectFiles: false });
      if (!picked?.[0]) return undefined;
      if (!trusted && isInsideWorkspace(picked[0].fsPath)) {
        await explainRestricted(RESTRICTED_DETECTORS);
        return undefined;
      }
      try {
        return await readDetectorSummary(picked[0].fsPath);
      } catch (error) {
        void vscode.window.showErrorMessage(`Outlier Lens: ${(error as Error).message}`);
        return undefined;
      }
    }
  }
}

/**
 * Scores every image of `folder` in the worker, streaming results into the panel (and the scan's
 * store on disk). Cached scores of unchanged files are reused; the scan's store becomes the cache
 * afterwards, also after a cancel (what was scored stays valid).
 */
export async function scanWithDetector(services: ExtensionServices, folder: string, detector: DetectorSummary): Promise<ResultSet | undefined> {
  if (!vscode.workspace.isTrusted && isInsideWorkspace(detector.folder)) {
    await explainRestricted(RESTRICTED_DETECTORS);
    return undefined;
  }
  const settings = readSettings(vscode.Uri.file(folder));
  const modelsDigest = await readModelsDigest(detector.folder);
  const cached = await services.cache.read(folder, detector.folder, modelsDigest);
  const scanId = randomUUID();
  const resultSet = new ResultSet(scanId, folder, detector, services.cache.createStore(folder, detector.folder, modelsDigest, scanId));
  services.model.show(resultSet);
  services.panel.show();
  let reused = 0;
  const title = `Scanning ${path.basename(folder)}`;
  services.log.info(`${title} with ${detector.manifest.name} (${cached?.index.liveCount ?? 0} cached scores)`);
  try {
    const summary = await runWithCpuRetry(services, title, services.engine.backendChoice, (backend) => {
      resultSet.resume(); // a retry on CPU goes on with the same results
      return services.engine.run(title, { type: 'scan', folder, detectorFolder: detector.folder, include: settings.include, exclude: settings.exclude, known: cached ? knownFiles(cached.index) : [] }, {
        onChunk: (chunk) => {
          // Unchanged files keep their cached records (copied into this scan's store); the rest are new.
          if (cached && chunk.unchanged) reused += resultSet.addStored(cached.store, cached.index, chunk.unchanged);
          resultSet.reusedFromCache = reused;
          resultSet.add(chunk.items, chunk.failures);
          resultSet.backendDescription ??= services.backendDescription();
        },
        onProgress: (event) => {
          // The engine's total counts the files it scores and those it cannot read, not the cached ones.
          if (event.phase === 'scanning') resultSet.expectedCount = reused + event.total;
        },
      }, backend);
    }, (outcome, reason) => resultSet.stop({ outcome, reason: outcome === 'cancelled' ? describeCancel(resultSet) : reason }));
    if (summary) {
      const outliers = countOutliers(resultSet.scores(), services.model.threshold.value);
      const { auroc } = summariseGroundTruth(resultSet.scores(), resultSet.labelCodes());
      const quality = auroc === null ? '' : `, AUROC ${auroc.toFixed(3)} on the labelled images`;
      const message = `${resultSet.scoredCount} images scored (${reused} from the cache), ${resultSet.failedCount} unreadable, ${outliers} above the threshold ${services.model.threshold.value.toFixed(2)}${quality}`;
      services.log.info(`${title}: ${message} in ${summary.seconds.toFixed(1)} s`);
      void vscode.window.showInformationMessage(`Outlier Lens: ${message}.`);
    }
    return resultSet;
  } finally {
    resultSet.finish();
    cached?.store.close();
    try {
      resultSet.keepStoreAs(services.cache.fileFor(folder, detector.folder));
    } catch (error) {
      services.log.warn(`results cache not written: ${(error as Error).message}`);
    }
  }
}

/**
 * Scan Again from the panel after a failure or cancel: the same folder and detector, without
 * asking; unchanged files come from the results cache, so a cancelled scan goes on where it stopped.
 */
export async function retryScan(services: ExtensionServices, scanId: string): Promise<ResultSet | undefined> {
  const resultSet = services.model.resultSet;
  if (!resultSet || resultSet.scanId !== scanId || !resultSet.stopped) {
    services.log.info(`retry of scan ${scanId} ignored: it is not the stopped scan shown`);
    return undefined;
  }
  if (services.model.jobRunning) {
    void vscode.window.showInformationMessage('Outlier Lens: a job is running; cancel it or wait before scanning again.');
    return undefined;
  }
  return scanWithDetector(services, resultSet.folder, resultSet.detector);
}

/** "Stopped after 120 of 300 files; their results are shown." */
function describeCancel(resultSet: ResultSet): string {
  const done = resultSet.scoredCount + resultSet.failedCount;
  if (done === 0) return 'Stopped before the first result.';
  return `Stopped after ${done}${resultSet.expectedCount === null ? '' : ` of ${resultSet.expectedCount}`} files; their results are shown.`;
}
