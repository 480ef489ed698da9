import type { Dirent, Stats } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describeFileSystemError } from '../fileSystemReason';
import { createImageFileFilter } from './imageFileFilter';
import type { ImageFileFilter } from './imageFileFilter';
import type { FolderWalkError, FolderWalkOptions, FolderWalkResult, ImageFileEntry } from './types';

/** A folder still to walk, with the relative path it is reached by. */
interface PendingFolder {
  readonly path: string;
  readonly relativePath: string;
}

/**
 * Lists the image files under `root`, recursively, sorted by relative path in code-point order.
 * Symbolic links are followed, but every folder (by device and inode) is walked at most once, so
 * link loops end and no subtree is listed twice; folders reached through real paths win over
 * links to them. Unreadable folders and broken links become `errors`; it throws only when `root`
 * itself is missing or not a folder.
 */
export async function walkImageFolder(root: string, options: FolderWalkOptions = {}): Promise<FolderWalkResult> {
  const absoluteRoot = path.resolve(root);
  const rootStats = await fs.stat(absoluteRoot).catch((error: unknown) => {
    throw new Error(`cannot scan ${absoluteRoot}: ${describeFileSystemError(error)}`);
  });
  if (!rootStats.isDirectory()) {
    throw new Error(`cannot scan ${absoluteRoot}: not a folder`);
  }
  const walk = new FolderWalk(createImageFileFilter(options));
  await walk.walkFolder({ path: absoluteRoot, relativePath: '' });
  // Linked folders wait until the real tree is done, so a folder is listed under its real path.
  for (let next = walk.linkedFolders.shift(); next !== undefined; next = walk.linkedFolders.shift()) {
    await walk.walkFolder(next);
  }
  walk.files.sort((a, b) => compareCodePoints(a.relativePath, b.relativePath));
  walk.errors.sort((a, b) => compareCodePoints(a.path, b.path));
  return { files: walk.files, errors: walk.errors };
}

class FolderWalk {
  readonly files: ImageFileEntry[] = [];
  readonly errors: FolderWalkError[] = [];
  readonly linkedFolders: PendingFolder[] = [];
  private readonly walkedFolders = new Set<string>();

  constructor(private readonly filter: ImageFileFilter) {}

  async walkFolder(folder: PendingFolder): Promise<void> {
    let entries: Dirent[];
    try {
      const stats = await fs.stat(folder.path);
      const identity = `${stats.dev}:${stats.ino}`;
      if (this.walkedFolders.has(identity)) return;
      this.walkedFolders.add(identity);
      entries = await fs.readdir(folder.path, { withFileTypes: true });
    } catch (error) {
      this.errors.push({ path: folder.path, reason: describeFileSystemError(error) });
      return;
    }
    entries.sort((a, b) => compareCodePoints(a.name, b.name));
    const subfolders: PendingFolder[] = [];
    const fileVisits: Promise<void>[] = [];
    for (const entry of entries) {
      if (!this.filter.isVisible(entry.name)) continue;
      const child: PendingFolder = {
        path: path.join(folder.path, entry.name),
        relativePath: folder.relativePath === '' ? entry.name : `${folder.relativePath}/${entry.name}`,
      };
      if (entry.isDirectory()) {
        if (!this.filter.isExcludedFolder(child.relativePath)) subfolders.push(child);
      } else if (entry.isSymbolicLink()) {
        fileVisits.push(this.visitLink(child));
      } else if (entry.isFile() && this.filter.acceptsFile(child.relativePath)) {
        fileVisits.push(this.visitFile(child));
      }
    }
    // Stats of one folder's files run together; folders go one at a time to keep the order of
    // first visits, and so which path a shared folder is listed under, deterministic.
    await Promise.all(fileVisits);
    for (const subfolder of subfolders) {
      await this.walkFolder(subfolder);
    }
  }

  private async visitFile(file: PendingFolder): Promise<void> {
    try {
      this.addFile(file, await fs.stat(file.path));
    } catch (error) {
      this.errors.push({ path: file.path, reason: describeFileSystemError(error) });
    }
  }

  private async visitLink(link: PendingFolder): Promise<void> {
    let target: Stats;
    try {
      target = await fs.stat(link.path);
    } catch (error) {
      // A dangling link only matters if it looks like one of the images the caller wants.
      if (this.filter.acceptsFile(link.relativePath)) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'broken symbolic link' : describeFileSystemError(error);
        this.errors.push({ path: link.path, reason });
      }
      return;
    }
    if (target.isDirectory()) {
      if (!this.filter.isExcludedFolder(link.relativePath)) this.linkedFolders.push(link);
    } else if (target.isFile() && this.filter.acceptsFile(link.relativePath)) {
      this.addFile(link, target);
    }
  }

  private addFile(file: PendingFolder, stats: Stats): void {
    this.files.push({ path: file.path, relativePath: file.relativePath, size: stats.size, mtimeMs: stats.mtimeMs });
  }
}

/** Orders strings by Unicode code point (plain `<` compares UTF-16 units and misorders astral characters). */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const unitA = a.charCodeAt(i);
    const unitB = b.charCodeAt(i);
    if (unitA !== unitB) return codePointRank(unitA) - codePointRank(unitB);
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000–U+FFFF, which makes UTF-16 unit order equal code-point order. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}
