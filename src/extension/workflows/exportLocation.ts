import * as path from 'path';
import * as vscode from 'vscode';
import type { ExportRows } from '../../engine/export/outlierExport';

/** Exports go here, under the workspace folder: the extension's own dot folder, which scans skip. */
export const EXPORTS_FOLDER = path.join('.outlier-lens', 'exports');

/**
 * Where an export of `scannedFolder` is suggested: `<workspace>/.outlier-lens/exports/` (the
 * workspace folder holding the scan, else the first; with no workspace, beside the scanned
 * folder), never among its images. The name says what the file holds: `<folder>-flagged-<time>.csv` or `-all-`.
 */
export function defaultExportFile(scannedFolder: string, rows: ExportRows, format: 'json' | 'csv', now = new Date()): string {
  const owner = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(scannedFolder)) ?? vscode.workspace.workspaceFolders?.[0];
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = path.basename(scannedFolder).replace(/[^\w.-]+/g, '_') || 'images';
  const name = `${base}-${rows}-${stamp}.${format}`;
  const root = owner ? owner.uri.fsPath : path.dirname(scannedFolder);
  // A dot folder: even when the workspace folder is the scanned folder, scans skip it.
  return path.join(root, EXPORTS_FOLDER, name);
}
