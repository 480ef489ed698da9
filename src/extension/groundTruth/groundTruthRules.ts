import * as path from 'path';
import type { GroundTruthLabel } from '../../protocol/scanResults';
import type { LabelsFileEntry } from './labelsFile';

/** A folder the user marked in the Explorer (absolute path) and its label. */
export interface FolderMark {
  readonly folder: string;
  readonly label: GroundTruthLabel;
}

/** Where a label came from, for the log and for tests. */
export type LabelSource = 'mark' | 'labelsFile';

/**
 * The ground truth of one scanned folder: labels by path prefix, from the folders marked in the
 * Explorer and from the labels file. A file takes the label of the most specific rule above it
 * (itself, then its folder, then that folder's parent, …); on the same path an Explorer mark wins
 * over a labels-file line. Paths are relative to the scanned folder, POSIX, '' = the whole folder.
 */
export class GroundTruthRules {
  /** No ground truth at all. */
  static readonly none = new GroundTruthRules(new Map(), new Map());

  private constructor(
    private readonly marks: ReadonlyMap<string, GroundTruthLabel>,
    private readonly listed: ReadonlyMap<string, GroundTruthLabel>,
  ) {}

  /** The rules of `scannedFolder` from Explorer marks (anywhere: only those at, above or inside it count) and labels-file entries. */
  static forFolder(scannedFolder: string, marks: readonly FolderMark[], fileEntries: readonly LabelsFileEntry[]): GroundTruthRules {
    const markRules = new Map<string, GroundTruthLabel>();
    // A mark on the scanned folder or above it covers the whole scan; the nearest such mark counts.
    let nearestAbove: { depth: number; label: GroundTruthLabel } | null = null;
    for (const mark of marks) {
      const inside = relativeInside(scannedFolder, mark.folder);
      if (inside !== null) {
        markRules.set(inside, mark.label);
        continue;
      }
      const above = relativeInside(mark.folder, scannedFolder);
      if (above !== null) {
        const depth = mark.folder.length;
        if (!nearestAbove || depth > nearestAbove.depth) nearestAbove = { depth, label: mark.label };
      }
    }
    if (nearestAbove && !markRules.has('')) markRules.set('', nearestAbove.label);
    const listed = new Map<string, GroundTruthLabel>(fileEntries.map((entry) => [entry.relativePath, entry.label]));
    return new GroundTruthRules(markRules, listed);
  }

  /** Whether any rule exists (the panel then gets a labels array). */
  get isEmpty(): boolean {
    return this.marks.size === 0 && this.listed.size === 0;
  }

  /** The label of a result, from its nearest labelled ancestor (or itself); undefined when none covers it. */
  labelOf(relativePath: string): GroundTruthLabel | undefined {
    return this.ruleFor(relativePath)?.label;
  }

  /** The label and where it came from. */
  ruleFor(relativePath: string): { readonly label: GroundTruthLabel; readonly source: LabelSource; readonly prefix: string } | undefined {
    if (this.isEmpty) return undefined;
    let prefix = relativePath;
    for (;;) {
      const marked = this.marks.get(prefix);
      if (marked) return { label: marked, source: 'mark', prefix };
      const listed = this.listed.get(prefix);
      if (listed) return { label: listed, source: 'labelsFile', prefix };
      if (prefix === '') return undefined;
      const slash = prefix.lastIndexOf('/');
      prefix = slash < 0 ? '' : prefix.slice(0, slash);
    }
  }
}

/** `target` relative to `folder` in POSIX form when it is `folder` itself ('') or inside it; null otherwise. */
export function relativeInside(folder: string, target: string): string | null {
  const relative = path.relative(folder, target);
  if (relative === '') return '';
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}
