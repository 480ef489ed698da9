import type { GalleryFilter, GalleryQuery, GallerySort, ReasonFilter } from '../../src/protocol/webview';
import type { ScoreIndex } from '../scores/scoreIndex';

/** The gallery list the UI shows, mapped onto a host query and a window of it. */
export interface ResolvedQuery {
  /** The query the pages are fetched (and cached) for. */
  readonly hostQuery: GalleryQuery;
  /** Position of the UI list's first item in the host query. */
  readonly offset: number;
  /** Number of items in the UI list, when known without asking the host (no search). */
  readonly knownTotal: number | undefined;
}

/** What the user asked the gallery to show. */
export interface GalleryView {
  readonly filter: GalleryFilter;
  readonly sort: GallerySort;
  readonly search: string;
  readonly threshold: number;
  /** Only images with this reason (`any`: with one); empty = no reason filter. */
  readonly reason: ReasonFilter | '';
}

/**
 * In score order the outliers are a prefix of the scored images and the inliers the rest, so
 * without a search those filters are windows of the `all` query: moving the threshold then
 * needs no new pages from the host, only a new window over cached ones.
 */
export function resolveQuery(view: GalleryView, index: ScoreIndex, failedCount: number, reasonCounts: Readonly<Partial<Record<ReasonFilter, number>>> = {}): ResolvedQuery {
  const scored = index.count;
  const search = view.search.trim();
  if (view.reason !== '') {
    // The host filters by reason; the snapshot's counts give the size of an unsearched, unthresholded list.
    const threshold = view.filter === 'outliers' || view.filter === 'inliers' ? view.threshold : 0;
    const knownTotal = view.filter === 'errors' ? 0 : view.filter === 'all' && !search ? (reasonCounts[view.reason] ?? 0) : undefined;
    return { hostQuery: { filter: view.filter, sort: view.sort, search, threshold, reason: view.reason }, offset: 0, knownTotal };
  }
  const isScoreSort = view.sort !== 'name';
  if (view.filter === 'errors') {
    return { hostQuery: { filter: 'errors', sort: 'name', search, threshold: 0 }, offset: 0, knownTotal: search ? undefined : failedCount };
  }
  if (search) {
    const threshold = view.filter === 'all' ? 0 : view.threshold;
    return { hostQuery: { filter: view.filter, sort: view.sort, search, threshold }, offset: 0, knownTotal: undefined };
  }
  const outliers = index.outlierCount(view.threshold);
  const inliers = scored - outliers;
  if (view.filter === 'all') {
    return { hostQuery: { filter: 'all', sort: view.sort, search: '', threshold: 0 }, offset: 0, knownTotal: scored + failedCount };
  }
  const total = view.filter === 'outliers' ? outliers : inliers;
  if (!isScoreSort) {
    return { hostQuery: { filter: view.filter, sort: 'name', search: '', threshold: view.threshold }, offset: 0, knownTotal: total };
  }
  const all: GalleryQuery = { filter: 'all', sort: view.sort, search: '', threshold: 0 };
  // Descending: [outliers | inliers]; ascending: [inliers | outliers].
  const outliersFirst = view.sort === 'scoreDescending';
  const offset = view.filter === 'outliers' ? (outliersFirst ? 0 : inliers) : outliersFirst ? outliers : 0;
  return { hostQuery: all, offset, knownTotal: total };
}

/** A stable cache key for a host query. */
export function queryKey(query: GalleryQuery): string {
  return `${query.filter}|${query.sort}|${query.threshold}|${query.search}|${query.reason ?? ''}`;
}
