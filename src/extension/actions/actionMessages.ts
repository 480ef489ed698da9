// The sentences the panel and the log show for actions on the selection.
import * as path from 'path';
import type { FileFailure, MovedFile } from './moveImages';

/** Failures and renames named in a sentence before "… and n more". */
const NAMED = 3;

/** "1 image" / "5 images". */
export function images(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'image' : 'images'}`;
}

/** " 2 not moved: a.png (reason); b.png (reason)." — empty when nothing failed. */
export function failureSentence(verb: string, failures: readonly FileFailure[]): string {
  if (failures.length === 0) return '';
  const named = failures.slice(0, NAMED).map((failure) => `${failure.relativePath} (${failure.reason})`).join('; ');
  const more = failures.length > NAMED ? `; ${failures.length - NAMED} more in the Outlier Lens log` : '';
  return ` ${failures.length} not ${verb}: ${named}${more}.`;
}

/** " 1 renamed to keep the file already there: a.png → a (1).png." — empty when no name clashed. */
export function renameSentence(moves: readonly MovedFile[], destination: string): string {
  const renamed = moves.filter((move) => path.basename(move.to) !== path.basename(move.from));
  if (renamed.length === 0) return '';
  const named = renamed.slice(0, NAMED).map((move) => `${move.relativePath} → ${path.relative(destination, move.to).split(path.sep).join('/')}`).join(', ');
  const more = renamed.length > NAMED ? `, ${renamed.length - NAMED} more in the Outlier Lens log` : '';
  return ` ${renamed.length} renamed to keep the file already there: ${named}${more}.`;
}

/** A folder as the user knows it: relative to the scanned folder when inside it (`.outliers/`), else its full path. */
export function describeFolder(scanned: string, folder: string): string {
  const relative = path.relative(scanned, folder);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? `${relative.split(path.sep).join('/')}/` : folder;
}
