// `vscode.workspace.fs` on the real disk, with VS Code's rules: rename/copy refuse to replace a file
// unless `overwrite` is set, `createDirectory` makes the parents, and `delete` with `useTrash` moves
// the file into a trash folder the test can look into (or refuses, like a file system without one).
import * as fs from 'fs';
import * as path from 'path';
import type { Uri } from './basics';

/** Like vscode.FileType. */
export enum FileType { Unknown = 0, File = 1, Directory = 2, SymbolicLink = 64 }

/** Like vscode.FileSystemError: `code` says what went wrong. */
export class FileSystemError extends Error {
  constructor(message: string, readonly code: 'FileNotFound' | 'FileExists' | 'NoPermissions' | 'Unavailable') {
    super(`${message} (${code})`);
  }
}

/** The fake's trash: where `delete({ useTrash: true })` puts files; null makes the trash refuse (no trash here). */
export const fakeTrash: { folder: string | null; trashed: Array<{ original: string; inTrash: string }> } = { folder: null, trashed: [] };

function missing(target: string): FileSystemError {
  return new FileSystemError(`${target} does not exist`, 'FileNotFound');
}

async function statOrNull(target: string): Promise<fs.Stats | null> {
  return fs.promises.stat(target).catch(() => null);
}

/** `vscode.workspace.fs`, as much as the extension uses. */
export const fileSystem = {
  async stat(uri: Uri): Promise<{ type: FileType; size: number; mtime: number; ctime: number }> {
    const stat = await statOrNull(uri.fsPath);
    if (!stat) throw missing(uri.fsPath);
    return { type: stat.isDirectory() ? FileType.Directory : FileType.File, size: stat.size, mtime: stat.mtimeMs, ctime: stat.ctimeMs };
  },
  async readFile(uri: Uri): Promise<Uint8Array> {
    return new Uint8Array(await fs.promises.readFile(uri.fsPath).catch(() => Promise.reject(missing(uri.fsPath))));
  },
  async writeFile(uri: Uri, content: Uint8Array): Promise<void> {
    await fs.promises.mkdir(path.dirname(uri.fsPath), { recursive: true });
    await fs.promises.writeFile(uri.fsPath, content);
  },
  async readDirectory(uri: Uri): Promise<Array<[string, FileType]>> {
    const entries = await fs.promises.readdir(uri.fsPath, { withFileTypes: true }).catch(() => Promise.reject(missing(uri.fsPath)));
    return entries.map((entry) => [entry.name, entry.isDirectory() ? FileType.Directory : FileType.File]);
  },
  async createDirectory(uri: Uri): Promise<void> {
    await fs.promises.mkdir(uri.fsPath, { recursive: true });
  },
  async rename(source: Uri, target: Uri, options?: { overwrite?: boolean }): Promise<void> {
    if (!(await statOrNull(source.fsPath))) throw missing(source.fsPath);
    if (!options?.overwrite && (await statOrNull(target.fsPath))) throw new FileSystemError(`${target.fsPath} exists`, 'FileExists');
    await fs.promises.rename(source.fsPath, target.fsPath);
  },
  async copy(source: Uri, target: Uri, options?: { overwrite?: boolean }): Promise<void> {
    if (!(await statOrNull(source.fsPath))) throw missing(source.fsPath);
    if (!options?.overwrite && (await statOrNull(target.fsPath))) throw new FileSystemError(`${target.fsPath} exists`, 'FileExists');
    await fs.promises.cp(source.fsPath, target.fsPath, { recursive: true });
  },
  async delete(uri: Uri, options?: { recursive?: boolean; useTrash?: boolean }): Promise<void> {
    const stat = await statOrNull(uri.fsPath);
    if (!stat) throw missing(uri.fsPath);
    if (options?.useTrash) {
      if (fakeTrash.folder === null) throw new FileSystemError(`Unable to delete file '${uri.fsPath}' via trash because provider does not support it.`, 'Unavailable');
      const inTrash = path.join(fakeTrash.folder, `${fakeTrash.trashed.length}-${path.basename(uri.fsPath)}`);
      await fs.promises.mkdir(fakeTrash.folder, { recursive: true });
      await fs.promises.rename(uri.fsPath, inTrash);
      fakeTrash.trashed.push({ original: uri.fsPath, inTrash });
      return;
    }
    if (stat.isDirectory() && !options?.recursive && (await fs.promises.readdir(uri.fsPath)).length > 0) throw new FileSystemError(`${uri.fsPath} is not empty`, 'NoPermissions');
    await fs.promises.rm(uri.fsPath, { recursive: true, force: true });
  },
};

/** `vscode.env.clipboard`, kept in memory. */
export const fakeClipboard = {
  text: '',
  writeText(value: string): Promise<void> {
    fakeClipboard.text = value;
    return Promise.resolve();
  },
  readText(): Promise<string> {
    return Promise.resolve(fakeClipboard.text);
  },
};
