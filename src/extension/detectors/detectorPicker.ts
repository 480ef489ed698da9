import * as path from 'path';
import * as vscode from 'vscode';
import type { DetectorSummary } from './detectorSummary';
import { describeShape } from './detectorSummary';

/** What the user picked for a scan. */
export type DetectorChoice =
  | { readonly kind: 'detector'; readonly summary: DetectorSummary }
  | { readonly kind: 'trainHere' }
  | { readonly kind: 'trainOn'; readonly folder: string }
  | { readonly kind: 'trainOther' }
  | { readonly kind: 'browse' };

interface ChoiceItem extends vscode.QuickPickItem {
  readonly choice?: DetectorChoice;
}

/** Labels of the fixed entries (the end-to-end test clicks them by name). */
export const PICKER_LABELS = {
  trainHere: '$(add) Train a new detector on this folder',
  trainOther: '$(folder-opened) Train on another folder…',
  browse: '$(file-directory) Choose a detector folder…',
} as const;

/** The one line the training entries carry: a detector learns what it is trained on, outliers included. */
export const TRAINING_WARNING = 'Outliers among the training images weaken the detector: train on images you trust.';

/** One line for a detector: shape, data size, date. */
function detectorItem(summary: DetectorSummary): ChoiceItem {
  const { manifest } = summary;
  const data = manifest.data ? `${manifest.data.imageCount} images` : 'unknown data';
  return {
    label: manifest.name,
    description: `${describeShape(manifest)} · ${data}`,
    detail: `trained ${new Date(manifest.createdAt).toLocaleString()}${manifest.data ? ` on ${manifest.data.source}` : ''} · ${manifest.backend}${manifest.threshold ? ` · threshold ${manifest.threshold.value.toFixed(2)} (${manifest.threshold.method})` : ''}`,
    choice: { kind: 'detector', summary },
  };
}

/**
 * The Scan Folder quick pick: the workspace's detectors (shape, data size, date), then training a
 * new one on this folder, on a folder the user marked as inliers (`trustedFolders`), or on another,
 * or choosing a detector folder anywhere. `restrictedNote` replaces the detector list in
 * Restricted Mode.
 */
export async function pickDetector(folderLabel: string, detectors: readonly DetectorSummary[], restrictedNote: string | null, trustedFolders: readonly string[] = []): Promise<DetectorChoice | undefined> {
  const items: ChoiceItem[] = [];
  if (restrictedNote) {
    items.push({ label: 'Workspace detectors', kind: vscode.QuickPickItemKind.Separator }, { label: '$(shield) Restricted Mode', detail: restrictedNote });
  } else if (detectors.length > 0) {
    items.push({ label: 'Detectors', kind: vscode.QuickPickItemKind.Separator }, ...detectors.map(detectorItem));
  }
  items.push(
    { label: 'New', kind: vscode.QuickPickItemKind.Separator },
    { label: PICKER_LABELS.trainHere, detail: TRAINING_WARNING, choice: { kind: 'trainHere' } },
    ...trustedFolders.map((folder): ChoiceItem => ({
      label: `$(pass) Train on ${path.basename(folder)} (marked as inliers)`,
      description: vscode.workspace.asRelativePath(folder),
      choice: { kind: 'trainOn', folder },
    })),
    { label: PICKER_LABELS.trainOther, choice: { kind: 'trainOther' } },
    { label: PICKER_LABELS.browse, choice: { kind: 'browse' } },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: `Outlier Lens: scan ${folderLabel}`,
    placeHolder: detectors.length > 0 ? 'Pick a detector, or train a new one' : 'No detector yet: train one',
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return picked?.choice;
}

/** Asks for a folder with the open dialog (palette commands and "another folder"). */
export async function askForFolder(title: string, openLabel: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, openLabel, canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  return picked?.[0];
}
