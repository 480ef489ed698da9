import * as path from 'path';
import * as vscode from 'vscode';
import type { ModelRole } from '../../engine/llr';
import { writeFileAtomic } from '../../engine/store/atomicWrite';
import { detectorRoots, isInsideWorkspace } from '../detectors/detectorLocations';
import type { DetectorSummary } from '../detectors/detectorSummary';
import { describeShape } from '../detectors/detectorSummary';
import { listDetectors } from '../detectors/readDetectorSummary';
import type { ExtensionServices } from '../services';
import { readSettings } from '../settings/settings';
import { runWithCpuRetry } from './runWithCpuRetry';

/** Images drawn per Show Samples. */
const SAMPLE_COUNT = 16;

/** The detector of the shown results, else one picked from the workspace's detectors. */
async function detectorForSamples(services: ExtensionServices): Promise<DetectorSummary | undefined> {
  const shown = services.model.resultSet?.detector;
  if (shown) {
    return shown;
  }
  const settings = readSettings();
  const trusted = vscode.workspace.isTrusted;
  const roots = detectorRoots(settings.detectorFolder, services.globalDetectorRoot).filter((root) => trusted || !isInsideWorkspace(root));
  const detectors = (await Promise.all(roots.map(listDetectors))).flat();
  if (detectors.length === 0) {
    void vscode.window.showInformationMessage('Outlier Lens: no detector yet. Train one with "Train Detector on Folder".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    detectors.map((summary) => ({ label: summary.manifest.name, description: describeShape(summary.manifest), summary })),
    { title: 'Outlier Lens: samples of which detector?' },
  );
  return picked?.summary;
}

/**
 * Show Samples: draws images from the semantic or the background model in the worker and opens
 * the grid (a PNG in the extension's storage) in VS Code's image preview.
 */
export async function showSamples(services: ExtensionServices): Promise<vscode.Uri | undefined> {
  const detector = await detectorForSamples(services);
  if (!detector) {
    return undefined;
  }
  const roles: Array<vscode.QuickPickItem & { role: ModelRole }> = [
    { label: 'Semantic model', description: 'what the detector learned the data looks like', role: 'semantic' },
    { label: 'Background model', description: 'trained on mutated images: background statistics only', role: 'background' },
  ];
  const picked = await vscode.window.showQuickPick(roles, { title: `Outlier Lens: samples of ${detector.manifest.name}` });
  if (!picked) {
    return undefined;
  }
  const title = `Sampling the ${picked.role} model`;
  const result = await runWithCpuRetry(services, title, services.engine.backendChoice, (backend) =>
    services.engine.run(title, { type: 'sample', detectorFolder: detector.folder, role: picked.role, count: SAMPLE_COUNT, seed: Date.now() % 100_000, png: true }, {}, backend),
  );
  if (!result?.png) {
    return undefined;
  }
  const file = path.join(services.storageFolder, 'samples', `${detector.manifest.name}-${picked.role}.png`);
  await writeFileAtomic(file, result.png);
  const uri = vscode.Uri.file(file);
  await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  return uri;
}
