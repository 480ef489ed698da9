import type { ScoredImage } from '../../protocol/scanResults';
import type { ResultSet } from '../results/resultSet';

/** A duplicate group before its image URIs are known. */
export interface DuplicateGroupEntry {
  readonly kind: 'exact' | 'near';
  /** In score order. */
  readonly images: readonly ScoredImage[];
}

/**
 * Groups `[offset, offset + limit)` of the result set's duplicate groups, judged over the whole
 * folder: exact groups first, then near ones, each in the order of its highest score (the folder
 * judgement takes the images in score order). Paths no longer scored are left out of a group.
 */
export function duplicateGroupsPage(resultSet: ResultSet, offset: number, limit: number): { readonly total: number; readonly groups: readonly DuplicateGroupEntry[] } {
  const { exact, near } = resultSet.folderFindings.duplicates;
  const all = [...exact.map((paths) => ({ kind: 'exact' as const, paths })), ...near.map((paths) => ({ kind: 'near' as const, paths }))];
  const groups = all.slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit)).map((group) => ({
    kind: group.kind,
    images: group.paths.map((path) => resultSet.scoredImage(path)).filter((image): image is ScoredImage => image !== undefined),
  }));
  return { total: all.length, groups };
}
