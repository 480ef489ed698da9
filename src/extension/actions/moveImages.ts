import * as path from 'path';
import { ensureFolder, fileErrorMessage, moveBack, moveWithoutReplacing, removeEmptyFolders } from './workspaceFiles';

/** One file an action moved: from where, to where. */
export interface MovedFile {
  /** The image's path relative to the scanned folder before the move (its key in the results). */
  readonly relativePath: string;
  readonly from: string;
  readonly to: string;
}

/** A file an action could not handle, and why (the others went ahead). */
export interface FileFailure {
  readonly relativePath: string;
  readonly reason: string;
}

/** What a move did. */
export interface MoveOutcome {
  readonly moved: readonly MovedFile[];
  readonly failures: readonly FileFailure[];
  /** Folders the move created (an undo removes them again while empty). */
  readonly createdFolders: readonly string[];
}

/** The default destination of "Move to .outliers/": a dot folder, which scans skip. */
export const OUTLIERS_FOLDER = '.outliers';

/**
 * Moves each image of `folder` to the same relative path under `destination`; a name already taken
 * there gets the first free `name (n).ext` instead (never a replaced file). Files that cannot be
 * moved are listed with their reason and the rest go ahead.
 */
export async function moveImages(folder: string, relativePaths: readonly string[], destination: string): Promise<MoveOutcome> {
  const moved: MovedFile[] = [];
  const failures: FileFailure[] = [];
  const createdFolders = await ensureFolder(destination);
  for (const relativePath of relativePaths) {
    const from = path.join(folder, relativePath);
    const target = path.join(destination, relativePath);
    if (path.resolve(target) === path.resolve(from)) {
      failures.push({ relativePath, reason: `it is in ${destination} already` });
      continue;
    }
    try {
      const parentsBefore = await ensureFolder(path.dirname(target));
      createdFolders.push(...parentsBefore);
      moved.push({ relativePath, from, to: await moveWithoutReplacing(from, target) });
    } catch (error) {
      failures.push({ relativePath, reason: fileErrorMessage(error) });
    }
  }
  return { moved, failures, createdFolders };
}

/** Moves files back where they were; a file whose old place is taken now stays where it is (listed as a failure). */
export async function moveImagesBack(moves: readonly MovedFile[], createdFolders: readonly string[]): Promise<{ restored: MovedFile[]; failures: FileFailure[] }> {
  const restored: MovedFile[] = [];
  const failures: FileFailure[] = [];
  for (const move of moves) {
    try {
      await moveBack(move.to, move.from);
      restored.push(move);
    } catch (error) {
      failures.push({ relativePath: move.relativePath, reason: fileErrorMessage(error) });
    }
  }
  await removeEmptyFolders(createdFolders);
  return { restored, failures };
}
