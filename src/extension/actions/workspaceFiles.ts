// The file operations of the panel's actions, every one through `vscode.workspace.fs` (so they work on
// any file system VS Code can reach, remote ones too), and none of them ever replacing a file.
import * as path from 'path';
import * as vscode from 'vscode';

/** Attempts at a free name before giving up ("a (1).png" … "a (999).png"). */
const MAX_FREE_NAME_ATTEMPTS = 999;

/** Whether something exists at `fsPath`. */
export async function exists(fsPath: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(fsPath));
    return true;
  } catch {
    return false;
  }
}

/** `a.png` → `a (n).png`: the name Explorer-like tools give a copy that must not replace a file. */
export function numberedName(fsPath: string, n: number): string {
  const extension = path.extname(fsPath);
  return path.join(path.dirname(fsPath), `${path.basename(fsPath, extension)} (${n})${extension}`);
}

/** Creates `folder` and its parents; returns the folders that did not exist before (deepest last). */
export async function ensureFolder(folder: string): Promise<string[]> {
  const created: string[] = [];
  for (let current = folder; !(await exists(current)); current = path.dirname(current)) {
    created.unshift(current);
    if (path.dirname(current) === current) break;
  }
  if (created.length > 0) await vscode.workspace.fs.createDirectory(vscode.Uri.file(folder));
  return created;
}

/**
 * Moves `from` to `to`, or, when `to` is taken, to the first free `to (n)`; never replaces a file.
 * Returns where the file went.
 */
export async function moveWithoutReplacing(from: string, to: string): Promise<string> {
  await ensureFolder(path.dirname(to));
  for (let attempt = 0; attempt <= MAX_FREE_NAME_ATTEMPTS; attempt++) {
    const target = attempt === 0 ? to : numberedName(to, attempt);
    if (await exists(target)) continue;
    try {
      await vscode.workspace.fs.rename(vscode.Uri.file(from), vscode.Uri.file(target), { overwrite: false });
      return target;
    } catch (error) {
      // Another writer took the name between the check and the rename: try the next one.
      if (await exists(target)) continue;
      throw error;
    }
  }
  throw new Error(`no free name for ${path.basename(to)} in ${path.dirname(to)} (tried ${MAX_FREE_NAME_ATTEMPTS})`);
}

/** Moves `from` back to exactly `to`; refuses (throws) when `to` is taken, so nothing is replaced. */
export async function moveBack(from: string, to: string): Promise<void> {
  if (!(await exists(from))) throw new Error(`it is no longer at ${from}`);
  if (await exists(to)) throw new Error(`a file is at ${to} now`);
  await ensureFolder(path.dirname(to));
  await vscode.workspace.fs.rename(vscode.Uri.file(from), vscode.Uri.file(to), { overwrite: false });
}

/** Removes the folders this action created, deepest first, while they are empty (after an undo). */
export async function removeEmptyFolders(folders: readonly string[]): Promise<void> {
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    try {
      const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(folder));
      if (entries.length === 0) await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: false, useTrash: false });
    } catch {
      // Gone already, or not readable: leave it.
    }
  }
}

/** The message of an error from `vscode.workspace.fs`, without VS Code's code suffix noise. */
export function fileErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
