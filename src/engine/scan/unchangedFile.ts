import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { KnownFile } from '../../protocol/engine';
import type { ImageFileEntry } from '../data';

/**
 * Whether `entry` is the file `known` describes: same size and mtime, and, where that key was in
 * doubt when it was scored (a digest was kept), the same bytes. A file that cannot be read now is
 * not unchanged: the scan then reports why.
 */
export async function isUnchanged(known: KnownFile | undefined, entry: ImageFileEntry): Promise<boolean> {
  if (known === undefined || known.size !== entry.size || known.mtimeMs !== entry.mtimeMs) {
    return false;
  }
  if (known.contentDigest === undefined) {
    return true;
  }
  try {
    return createHash('sha256').update(await fs.promises.readFile(entry.path)).digest('hex') === known.contentDigest;
  } catch {
    return false;
  }
}
