// The gallery's one list rule, shared by the extension host (which serves the pages) and the
// webview tests' fake host. It imports nothing: the query is described structurally here, and the
// protocol's GalleryQuery fits it.
import { isOutlierScore } from '../threshold/outlierRule';

/** What a gallery list may be asked for (the protocol's `GalleryQuery` has this shape). */
export interface GalleryListQuery {
  readonly filter: 'all' | 'outliers' | 'inliers' | 'errors';
  readonly sort: 'scoreDescending' | 'scoreAscending' | 'name';
  /** Case-insensitive substring of the path; empty = no search. */
  readonly search: string;
  /** The threshold of the `outliers` / `inliers` filters (outlier ⇔ score > threshold, on float32 scores). */
  readonly threshold: number;
  /** Only images with this reason, or with any reason (`any`); absent = every image. */
  readonly reason?: string;
}

/** What the rule needs of a scored image. */
export interface ListedImage {
  readonly relativePath: string;
  readonly instanceScore: number;
}

/** An entry of a gallery list: a scored image with its 1-based score rank, or a failed file. */
export type GalleryListEntry<Image, Failure> =
  | { readonly kind: 'scored'; readonly image: Image; readonly rank: number }
  | { readonly kind: 'failed'; readonly failure: Failure };

/** The reason filter's value that keeps every image with at least one reason. */
export const ANY_REASON = 'any';

/** Whether an image's reasons pass a reason filter (absent filter: every image does). */
export function matchesReason(reasons: readonly string[] | undefined, reason: string | undefined): boolean {
  if (reason === undefined) return true;
  if (!reasons || reasons.length === 0) return false;
  return reason === ANY_REASON || reasons.includes(reason);
}

/** How the rule reads an image, whatever holds it: an object, or a slot of an index on disk. */
export interface ImageAccess<Image> {
  pathOf(image: Image): string;
  scoreOf(image: Image): number;
  /** The image's reasons as the panel shows them (read only when a reason filter is on). */
  reasonsOf(image: Image): readonly string[] | undefined;
}

/** Access to images that are objects with a path and a score, and reasons as `reasonsOf` gives them. */
export function objectAccess<Image extends ListedImage>(reasonsOf: (image: Image) => readonly string[] | undefined): ImageAccess<Image> {
  return { pathOf: (image) => image.relativePath, scoreOf: (image) => image.instanceScore, reasonsOf };
}

/** A gallery list as positions: the matching scored images' 0-based positions in score order (the protocol's total order), in the list's order, then the failed files. */
export interface GalleryPositions<Failure> {
  readonly scored: Int32Array;
  readonly failed: readonly Failure[];
}

/**
 * The list a query shows, over `count` scored images read through `access` by position (0 is the
 * highest score; the protocol's total order: score descending, ties by path) and `failuresByPath`
 * by path. Ascending score order is the reverse of descending; `name` sorts by path; `all` lists
 * the failed files after the scored images, unless a reason filter is on (a failed file has no
 * reasons). The scored part is one typed array: no object per image, however many match.
 */
export function galleryPositions<Failure extends { readonly relativePath: string }>(
  count: number,
  failuresByPath: readonly Failure[],
  query: GalleryListQuery,
  access: ImageAccess<number>,
): GalleryPositions<Failure> {
  const search = query.search.toLowerCase();
  const matches = (path: string): boolean => search === '' || path.toLowerCase().includes(search);
  const failed = (): Failure[] => failuresByPath.filter((failure) => matches(failure.relativePath));
  if (query.filter === 'errors') {
    return { scored: new Int32Array(0), failed: query.reason === undefined ? failed() : [] };
  }
  const kept = new Int32Array(count);
  let keptCount = 0;
  for (let position = 0; position < count; position++) {
    const score = Math.fround(access.scoreOf(position));
    const keep = (query.filter !== 'outliers' || isOutlierScore(score, query.threshold))
      && (query.filter !== 'inliers' || !isOutlierScore(score, query.threshold))
      && matches(access.pathOf(position))
      && (query.reason === undefined || matchesReason(access.reasonsOf(position), query.reason));
    if (keep) kept[keptCount++] = position;
  }
  const scored = keptCount === count ? kept : kept.slice(0, keptCount);
  if (query.sort === 'scoreAscending') scored.reverse();
  if (query.sort === 'name') scored.sort((a, b) => compareByPath(access.pathOf(a), access.pathOf(b)));
  return { scored, failed: query.filter === 'all' && query.reason === undefined ? failed() : [] };
}

/** The list a query shows as entries (see `galleryPositions`): each scored image with its 1-based score rank, then the failed files. */
export function galleryList<Image, Failure extends { readonly relativePath: string }>(
  scoredByScore: ArrayLike<Image>,
  failuresByPath: readonly Failure[],
  query: GalleryListQuery,
  access: ImageAccess<Image>,
): GalleryListEntry<Image, Failure>[] {
  const list = galleryPositions(scoredByScore.length, failuresByPath, query, {
    pathOf: (position) => access.pathOf(scoredByScore[position]),
    scoreOf: (position) => access.scoreOf(scoredByScore[position]),
    reasonsOf: (position) => access.reasonsOf(scoredByScore[position]),
  });
  return [
    ...Array.from(list.scored, (position): GalleryListEntry<Image, Failure> => ({ kind: 'scored', image: scoredByScore[position], rank: position + 1 })),
    ...list.failed.map((failure): GalleryListEntry<Image, Failure> => ({ kind: 'failed', failure })),
  ];
}

/** How many images carry each reason, and (under `any`) how many carry at least one. */
export function countReasons<Image>(images: readonly Image[], reasonsOf: (image: Image) => readonly string[] | undefined): Record<string, number> {
  const counts: Record<string, number> = { [ANY_REASON]: 0 };
  for (const image of images) {
    const reasons = reasonsOf(image);
    if (!reasons || reasons.length === 0) continue;
    counts[ANY_REASON]++;
    for (const reason of new Set(reasons)) counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

/** Code-unit order of paths (the same on every runtime, unlike `localeCompare`). */
export function compareByPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The protocol's total order of scored images: score descending, ties by path ascending. */
export function compareScoreDescending(a: ListedImage, b: ListedImage): number {
  return b.instanceScore - a.instanceScore || compareByPath(a.relativePath, b.relativePath);
}
