import { isOutlierScore } from '../threshold/outlierRule';

// The gallery's one query rule, shared by the extension host (src/extension/panel/galleryPages.ts)
// and the webview tests' fake host. The shapes below match src/protocol/webview.ts's GalleryQuery
// structurally: src/common imports nothing outside itself.

/** The filter, order, search and threshold of a gallery list (the protocol's `GalleryQuery`). */
export interface GalleryListQuery {
  readonly filter: 'all' | 'outliers' | 'inliers' | 'errors';
  readonly sort: 'scoreDescending' | 'scoreAscending' | 'name';
  /** Case-insensitive substring of `relativePath`; empty = no search. */
  readonly search: string;
  readonly threshold: number;
}

/** What the query reads of a scored image. */
export interface ScoredRow {
  readonly relativePath: string;
  readonly instanceScore: number;
}

/** What the query reads of a file that failed to decode. */
export interface FailedRow {
  readonly relativePath: string;
}

/** One entry of a gallery list: a scored image with its 1-based rank by score, or a failed file. */
export type GalleryRow<Scored extends ScoredRow, Failed extends FailedRow> =
  | { readonly kind: 'scored'; readonly item: Scored; readonly rank: number }
  | { readonly kind: 'failed'; readonly item: Failed };

/** Code-unit order of paths (the same on every runtime, unlike `localeCompare`). */
export function compareByPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The protocol's total order of scored images: score descending, ties by path ascending. */
export function compareScoreDescending(a: ScoredRow, b: ScoredRow): number {
  return b.instanceScore - a.instanceScore || compareByPath(a.relativePath, b.relativePath);
}

/**
 * The gallery list of `query`: scored images in score order (ascending is its reverse) or by name,
 * failed files after them by name (`all`) or alone (`errors`). The outlier filters compare the
 * float32 score with the threshold, as the webview, which holds float32 scores, does.
 * `scoredByScore` must be in `compareScoreDescending` order and `failedByPath` in path order.
 */
export function galleryList<Scored extends ScoredRow, Failed extends FailedRow>(
  query: GalleryListQuery,
  scoredByScore: readonly Scored[],
  failedByPath: readonly Failed[],
): GalleryRow<Scored, Failed>[] {
  const search = query.search.toLowerCase();
  const matches = (path: string): boolean => search === '' || path.toLowerCase().includes(search);
  const failed = failedByPath
    .filter((item) => matches(item.relativePath))
    .map((item): GalleryRow<Scored, Failed> => ({ kind: 'failed', item }));
  if (query.filter === 'errors') return failed;
  let scored: GalleryRow<Scored, Failed>[] = [];
  scoredByScore.forEach((item, index) => {
    const outlier = isOutlierScore(Math.fround(item.instanceScore), query.threshold);
    const keep = matches(item.relativePath)
      && (query.filter !== 'outliers' || outlier)
      && (query.filter !== 'inliers' || !outlier);
    if (keep) scored.push({ kind: 'scored', item, rank: index + 1 });
  });
  if (query.sort === 'scoreAscending') scored = scored.reverse();
  if (query.sort === 'name') scored = scored.sort((a, b) => compareByPath(a.item.relativePath, b.item.relativePath));
  return query.filter === 'all' ? [...scored, ...failed] : scored;
}
