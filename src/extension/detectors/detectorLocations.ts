import { createHash } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';

/** Is `file` inside one of the open workspace folders? */
export function isInsideWorkspace(file: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((folder) => isInside(file, folder.uri.fsPath));
}

/** Is `file` `folder` itself or below it? */
export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Folders that hold detectors: `outlierLens.detectorFolder` resolved in each workspace folder,
 * then the extension's global store (detectors trained on folders outside any workspace).
 */
export function detectorRoots(detectorFolderSetting: string, globalRoot: string): string[] {
  const inWorkspace = (vscode.workspace.workspaceFolders ?? []).map((folder) => path.resolve(folder.uri.fsPath, detectorFolderSetting));
  return [...new Set([...inWorkspace, globalRoot])];
}

/** Where a detector trained on `trainingFolder` goes: its workspace folder's detector folder, else the global store. */
export function detectorRootFor(trainingFolder: string, detectorFolderSetting: string, globalRoot: string): string {
  const owner = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(trainingFolder)) ?? vscode.workspace.workspaceFolders?.[0];
  return owner ? path.resolve(owner.uri.fsPath, detectorFolderSetting) : globalRoot;
}

/** A folder name for a new detector: the training folder's name and the time, e.g. `images-20250101-120000`. */
export function newDetectorName(trainingFolder: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = path.basename(trainingFolder).replace(/[^\w.-]+/g, '_') || 'detector';
  return `${base}-${stamp}`;
}

/**
 * Where training on `trainingFolder` keeps its checkpoints: one hidden folder per training folder in
 * the detector root (listings skip dot folders), gone once a detector is saved, so a cancelled
 * training goes on next time.
 */
export function trainingCheckpointFolder(detectorRoot: string, trainingFolder: string): string {
  const key = createHash('sha256').update(path.resolve(trainingFolder)).digest('hex').slice(0, 12);
  const base = path.basename(trainingFolder).replace(/[^\w.-]+/g, '_') || 'images';
  return path.join(detectorRoot, `.training-${base}-${key}`);
}
