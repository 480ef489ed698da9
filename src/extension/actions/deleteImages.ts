// Delete with undo. VS Code's API can move a file to the trash (`useTrash`) but not take it back out,
// and some file systems (remote, browser) have no trash at all. So before deleting, each image is
// copied into a holding folder in the extension's storage; Undo copies it back from there, and the
// copies go when the panel closes. Where the trash is missing the user is asked before deleting for good.
import * as path from 'path';
import * as vscode from 'vscode';
import type { FileFailure } from './moveImages';
import { ensureFolder, exists, fileErrorMessage } from './workspaceFiles';

/** Where the deleted images went: the system's trash, or nowhere (the user agreed to delete for good). */
export type DeleteMode = 'trash' | 'permanent';

/** One deleted image and the copy kept for Undo. */
export interface HeldFile {
  readonly relativePath: string;
  readonly original: string;
  readonly held: string;
}

/** What a delete did. */
export interface DeleteOutcome {
  readonly deleted: readonly HeldFile[];
  readonly failures: readonly FileFailure[];
  readonly mode: DeleteMode;
  /** The trash refused and the user declined to delete for good: nothing was deleted. */
  readonly declined: boolean;
}

/**
 * Deletes the images (to the trash where the file system has one), keeping a copy of each under
 * `holdFolder`. When the trash refuses, `deletePermanently(reason)` asks the user once; declining
 * stops the action with nothing deleted by it from then on.
 */
export async function deleteImages(folder: string, relativePaths: readonly string[], holdFolder: string, deletePermanently: (reason: string) => Promise<boolean>): Promise<DeleteOutcome> {
  const deleted: HeldFile[] = [];
  const failures: FileFailure[] = [];
  let mode: DeleteMode = 'trash';
  for (const relativePath of relativePaths) {
    const original = path.join(folder, relativePath);
    const held = path.join(holdFolder, relativePath);
    try {
      await ensureFolder(path.dirname(held));
      await vscode.workspace.fs.copy(vscode.Uri.file(original), vscode.Uri.file(held), { overwrite: false });
    } catch (error) {
      failures.push({ relativePath, reason: `no copy could be kept for Undo, so it was not deleted: ${fileErrorMessage(error)}` });
      continue;
    }
    try {
      await vscode.workspace.fs.delete(vscode.Uri.file(original), { recursive: false, useTrash: mode === 'trash' });
    } catch (trashError) {
      const canAsk = mode === 'trash' && deleted.length === 0;
      if (!canAsk || !(await deletePermanently(fileErrorMessage(trashError)))) {
        await dropCopy(held);
        if (canAsk) return { deleted, failures, mode, declined: true };
        failures.push({ relativePath, reason: fileErrorMessage(trashError) });
        continue;
      }
      mode = 'permanent';
      try {
        await vscode.workspace.fs.delete(vscode.Uri.file(original), { recursive: false, useTrash: false });
      } catch (error) {
        await dropCopy(held);
        failures.push({ relativePath, reason: fileErrorMessage(error) });
        continue;
      }
    }
    deleted.push({ relativePath, original, held });
  }
  return { deleted, failures, mode, declined: false };
}

/** Copies deleted images back from the holding folder; one whose place is taken now stays deleted (a failure). */
export async function restoreImages(files: readonly HeldFile[]): Promise<{ restored: HeldFile[]; failures: FileFailure[] }> {
  const restored: HeldFile[] = [];
  const failures: FileFailure[] = [];
  for (const file of files) {
    try {
      if (await exists(file.original)) throw new Error(`a file is at ${file.original} now`);
      await ensureFolder(path.dirname(file.original));
      await vscode.workspace.fs.copy(vscode.Uri.file(file.held), vscode.Uri.file(file.original), { overwrite: false });
      restored.push(file);
    } catch (error) {
      failures.push({ relativePath: file.relativePath, reason: fileErrorMessage(error) });
    }
  }
  return { restored, failures };
}

/** Removes a holding folder and every copy in it (the panel closed: Undo is no longer offered). */
export async function dropHoldFolder(holdFolder: string): Promise<void> {
  await dropCopy(holdFolder, true);
}

async function dropCopy(fsPath: string, recursive = false): Promise<void> {
  try {
    await vscode.workspace.fs.delete(vscode.Uri.file(fsPath), { recursive, useTrash: false });
  } catch {
    // Already gone.
  }
}
