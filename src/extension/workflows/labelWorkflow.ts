import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GroundTruthLabel } from '../../protocol/scanResults';
import type { FolderMark } from '../groundTruth/groundTruthRules';
import { relativeInside } from '../groundTruth/groundTruthRules';
import type { LabelMarks } from '../groundTruth/labelMarks';
import type { ResultsModel } from '../results/resultsModel';

const PLURAL: Readonly<Record<GroundTruthLabel, string>> = { inlier: 'Inliers', outlier: 'Outliers' };

/**
 * Mark Folder as Inliers / Outliers: the folders the Explorer passed (the one right-clicked, or
 * every selected one), or, from the palette, folders chosen in a dialog. Every image under a marked
 * folder takes its label unless a nearer marked folder says otherwise. Resolves with the marks after
 * the change (undefined when nothing was chosen).
 */
export async function markFolders(marks: LabelMarks, model: ResultsModel, label: GroundTruthLabel, args: readonly unknown[]): Promise<readonly FolderMark[] | undefined> {
  const folders = await foldersFromExplorer(args) ?? await askForFolders(model, label);
  if (!folders || folders.length === 0) return undefined;
  await marks.set(folders, label);
  const names = folders.map((folder) => path.basename(folder)).join(', ');
  const scanned = model.resultSet?.folder;
  if (!scanned || !folders.some((folder) => relativeInside(scanned, folder) !== null || relativeInside(folder, scanned) !== null)) {
    // Nothing on screen changes: say where the mark will show.
    void vscode.window.showInformationMessage(`Outlier Lens: ${names} marked as ${label}s. Scan a folder that holds it to see ROC and PR curves.`);
  }
  return marks.all();
}

/**
 * Clear Label Mark: the folders the Explorer passed, or, from the palette, marks picked from the
 * list. Resolves with the marks after the change.
 */
export async function clearFolderMarks(marks: LabelMarks, args: readonly unknown[]): Promise<readonly FolderMark[] | undefined> {
  const folders = await foldersFromExplorer(args) ?? await pickMarkedFolders(marks);
  if (!folders || folders.length === 0) return undefined;
  await marks.set(folders, null);
  return marks.all();
}

/** The folders of an Explorer invocation: `(clicked, selected[])`; files among them are left out. */
async function foldersFromExplorer(args: readonly unknown[]): Promise<string[] | undefined> {
  const [clicked, selected] = args;
  const uris = Array.isArray(selected) && selected.length > 0 ? selected : clicked !== undefined ? [clicked] : [];
  const paths = uris.filter((uri): uri is vscode.Uri => uri instanceof vscode.Uri).map((uri) => uri.fsPath);
  if (paths.length === 0) return undefined;
  const folders = await Promise.all(paths.map((candidate) => fs.promises.stat(candidate).then((stat) => (stat.isDirectory() ? candidate : null), () => null)));
  return folders.filter((folder): folder is string => folder !== null);
}

async function askForFolders(model: ResultsModel, label: GroundTruthLabel): Promise<string[] | undefined> {
  const scanned = model.resultSet?.folder;
  const picked = await vscode.window.showOpenDialog({
    title: `Outlier Lens: mark folders of ${label}s (every image under them)`,
    openLabel: `Mark as ${PLURAL[label]}`,
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: true,
    ...(scanned ? { defaultUri: vscode.Uri.file(scanned) } : {}),
  });
  return picked?.map((uri) => uri.fsPath);
}

async function pickMarkedFolders(marks: LabelMarks): Promise<string[] | undefined> {
  const all = marks.all();
  if (all.length === 0) {
    void vscode.window.showInformationMessage('Outlier Lens: no folder is marked as inliers or outliers.');
    return undefined;
  }
  const items = all.map((mark) => ({
    label: path.basename(mark.folder) || mark.folder,
    description: `${mark.label}s`,
    detail: vscode.workspace.asRelativePath(mark.folder),
    folder: mark.folder,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Outlier Lens: clear the label marks of', canPickMany: true });
  return picked?.map((item) => item.folder);
}
