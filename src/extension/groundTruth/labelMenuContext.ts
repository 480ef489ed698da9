import * as path from 'path';
import * as vscode from 'vscode';
import type { ResultsModel } from '../results/resultsModel';
import type { LabelMarks } from './labelMarks';

/**
 * Context keys behind the Explorer's Mark Folder entries (package.json `menus`), each an object
 * keyed by folder path as the `resourcePath` context key spells it (`resourcePath in key`).
 */
export const LABEL_MENU_KEYS = {
  /** The scanned folder and every folder in it that holds results: where marking means something now. */
  scannedFolders: 'outlierLens.scannedFolders',
  inlierFolders: 'outlierLens.inlierFolders',
  outlierFolders: 'outlierLens.outlierFolders',
} as const;

/** Streaming results add folders; the menu need not know within the second. */
const RESULTS_UPDATE_MS = 1000;

/** Keeps the Explorer menu's context keys in step with the results shown and the marks. */
export class LabelMenuContext implements vscode.Disposable {
  private timer: NodeJS.Timeout | null = null;
  private initialTimer: NodeJS.Timeout | null;
  private lastScannedFolders = '';
  private readonly unsubscribers: Array<() => void>;

  constructor(private readonly model: ResultsModel, private readonly marks: LabelMarks) {
    this.unsubscribers = [
      model.onDidChange((change) => {
        if (change.kind === 'resultSet') this.updateScannedFolders();
        else if (change.kind === 'results') this.scheduleScannedFolders();
      }),
      marks.onDidChange(() => this.updateMarks()),
    ];
    // Marks kept from an earlier session show in the menu right after activation, which itself stays free of storage reads.
    this.initialTimer = setTimeout(() => {
      this.initialTimer = null;
      this.updateMarks();
    }, 0);
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    if (this.initialTimer) clearTimeout(this.initialTimer);
  }

  private scheduleScannedFolders(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.updateScannedFolders();
    }, RESULTS_UPDATE_MS);
  }

  private updateScannedFolders(): void {
    const resultSet = this.model.resultSet;
    const folders = new Set<string>();
    if (resultSet) {
      folders.add(path.resolve(resultSet.folder));
      const relativeFolders = new Set<string>();
      for (const relativePath of resultSet.pathsByScore()) addAncestors(relativeFolders, relativePath);
      for (const failure of resultSet.failuresByPath()) addAncestors(relativeFolders, failure.relativePath);
      for (const relative of relativeFolders) folders.add(path.join(resultSet.folder, ...relative.split('/')));
    }
    const signature = [...folders].sort().join('\n');
    if (signature === this.lastScannedFolders) return;
    this.lastScannedFolders = signature;
    setContext(LABEL_MENU_KEYS.scannedFolders, keyedBy(folders));
  }

  private updateMarks(): void {
    const all = this.marks.all();
    setContext(LABEL_MENU_KEYS.inlierFolders, keyedBy(all.filter((mark) => mark.label === 'inlier').map((mark) => mark.folder)));
    setContext(LABEL_MENU_KEYS.outlierFolders, keyedBy(all.filter((mark) => mark.label === 'outlier').map((mark) => mark.folder)));
  }
}

/** Adds every folder above `relativePath` (POSIX, relative): 'a/b/c.png' adds 'a/b' and 'a'. */
function addAncestors(folders: Set<string>, relativePath: string): void {
  for (let slash = relativePath.lastIndexOf('/'); slash > 0; slash = relativePath.lastIndexOf('/', slash - 1)) {
    const folder = relativePath.slice(0, slash);
    if (folders.has(folder)) return; // its ancestors are in already
    folders.add(folder);
  }
}

function keyedBy(folders: Iterable<string>): Record<string, true> {
  return Object.fromEntries([...folders].map((folder) => [folder, true]));
}

function setContext(key: string, value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
