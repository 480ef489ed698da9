import * as path from 'path';
import * as vscode from 'vscode';
import { detectorRootFor, newDetectorName, trainingCheckpointFolder } from '../detectors/detectorLocations';
import type { DetectorManifest } from '../../protocol/detector';
import type { DetectorSummary } from '../detectors/detectorSummary';
import { describeShape } from '../detectors/detectorSummary';
import { readDetectorSummary } from '../detectors/readDetectorSummary';
import type { ExtensionServices } from '../services';
import type { OutlierLensSettings } from '../settings/settings';
import { readSettings } from '../settings/settings';
import { runWithCpuRetry } from './runWithCpuRetry';
import { explainRestricted, RESTRICTED_TRAINING } from './workspaceTrust';

/**
 * Trains a detector on `folder` in the engine worker with the settings' preset and overrides
 * (without the files `extraExclude` matches, globs relative to `folder`), and saves it under the
 * workspace's detector folder. With `like`, the image shape and the fit (epochs, batch size,
 * mutation rate, background L2) are that detector's, so a retraining compares like with like.
 * Refused in Restricted Mode. Resolves the new detector, or undefined when cancelled or failed
 * (the user has been told).
 */
export async function trainDetector(services: ExtensionServices, folder: string, extraExclude: readonly string[] = [], like?: DetectorManifest): Promise<DetectorSummary | undefined> {
  if (!vscode.workspace.isTrusted) {
    await explainRestricted(RESTRICTED_TRAINING);
    return undefined;
  }
  const settings = sameShapeAndFit(readSettings(vscode.Uri.file(folder)), like);
  const root = detectorRootFor(folder, settings.detectorFolder, services.globalDetectorRoot);
  const detectorName = newDetectorName(folder);
  const detectorFolder = path.join(root, detectorName);
  const title = `Training on ${path.basename(folder)}`;
  services.log.info(`${title}: preset ${settings.train.preset}${settings.train.epochs ? `, ${settings.train.epochs} epochs` : ''}, size ${settings.imageSize?.join('×') ?? 'auto'}, channels ${settings.channels ?? 'auto'} → ${detectorFolder}`);
  const result = await runWithCpuRetry(services, title, services.engine.backendChoice, (backend) =>
    services.engine.run(title, {
      type: 'train',
      folder,
      detectorFolder,
      detectorName,
      settings: settings.train,
      imageSize: settings.imageSize,
      channels: settings.channels,
      include: settings.include,
      exclude: [...settings.exclude, ...extraExclude],
      checkpointFolder: trainingCheckpointFolder(root, folder),
    }, {}, backend),
  );
  if (!result) {
    return undefined;
  }
  const summary = await readDetectorSummary(result.detectorFolder);
  const { manifest } = summary;
  const seconds = manifest.trainingSeconds === null ? '' : ` in ${manifest.trainingSeconds.toFixed(0)} s`;
  services.log.info(`detector ${manifest.name} trained${seconds}: ${describeShape(manifest)}, ${manifest.data?.imageCount ?? '?'} images, ${result.failures.length} unreadable`);
  void vscode.window.showInformationMessage(`Outlier Lens: detector ${manifest.name} trained on ${manifest.data?.imageCount ?? '?'} images (${describeShape(manifest)})${seconds}.`);
  return summary;
}

/** `settings` with the image shape and fit of the detector `like` (its preset stays the settings'). */
function sameShapeAndFit(settings: OutlierLensSettings, like: DetectorManifest | undefined): OutlierLensSettings {
  if (!like) return settings;
  const [height, width, channels] = like.imageShape;
  const { epochs, batchSize, mutationRate, l2Background } = like.fit;
  return { ...settings, imageSize: [height, width], channels: channels === 3 ? 3 : 1, train: { ...settings.train, epochs, batchSize, mutationRate, l2Background } };
}
