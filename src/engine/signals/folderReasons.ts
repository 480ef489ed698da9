import type { OutlierReason } from '../../protocol/scanResults';
import type { FolderMeasures } from './folderMeasureTable';
import type { DuplicateGroups } from './duplicateGroups';
import { groupDuplicates } from './duplicateGroups';
import { findOddSizes } from './oddSizes';

/** Which folder-level rules to apply. */
export interface FolderRules {
  readonly oddSizes: boolean;
  readonly duplicates: boolean;
}

/** What the folder rules read of one image: its path, its measures (none where the scan took none) and its reasons so far. */
export interface FolderItem {
  readonly relativePath: string;
  readonly measures?: FolderMeasures;
  readonly reasons?: OutlierReason[];
}

/** A folder's results with the folder rules' reasons added, and its duplicate groups as paths. */
export interface FolderJudged<Item> {
  readonly items: Item[];
  readonly duplicates: { readonly exact: string[][]; readonly near: string[][] };
  /** Images whose RGB channels are all equal (grey stored as RGB). */
  readonly greyAsRgb: number;
}

/**
 * Adds the reasons only the whole folder can give: an odd size or aspect ratio against the folder,
 * exact duplicates and near duplicates. They mark images without flagging them as outliers.
 * Images without measures (scanned without checks) take no part.
 */
export function judgeFolder<Item extends FolderItem>(items: readonly Item[], rules: FolderRules): FolderJudged<Item> {
  const measured = items.flatMap((item, index) => (item.measures ? [{ index, measures: item.measures }] : []));
  const extra = new Map<number, OutlierReason[]>();
  const mark = (index: number, reason: OutlierReason): void => {
    const reasons = extra.get(index) ?? [];
    reasons.push(reason);
    extra.set(index, reasons);
  };
  if (rules.oddSizes) {
    findOddSizes(measured.map((entry) => entry.measures)).forEach((odd, i) => odd && mark(measured[i].index, 'odd-size'));
  }
  let groups: DuplicateGroups = { exact: [], near: [] };
  if (rules.duplicates) {
    groups = groupDuplicates(measured.map((entry) => entry.measures));
    groups.exact.flat().forEach((i) => mark(measured[i].index, 'exact-duplicate'));
    groups.near.flat().forEach((i) => mark(measured[i].index, 'near-duplicate'));
  }
  const toPaths = (group: number[]): string[] => group.map((i) => items[measured[i].index].relativePath);
  return {
    items: items.map((item, index) => {
      const reasons = extra.get(index);
      return reasons ? { ...item, reasons: [...(item.reasons ?? []), ...reasons] } : item;
    }),
    duplicates: { exact: groups.exact.map(toPaths), near: groups.near.map(toPaths) },
    greyAsRgb: measured.filter((entry) => entry.measures.greyAsRgb === true).length,
  };
}
