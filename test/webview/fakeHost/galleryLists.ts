import { isOutlierScore } from '../../../src/common/threshold/outlierRule';
import type { GalleryItem, GalleryQuery, ScoredGalleryItem } from '../../../src/protocol/webview';
import type { ResultSet } from '../fixtures/resultSet';

/** The gallery as the extension host would serve it: whole lists per query, cut into pages. */
export class GalleryLists {
  private readonly byScoreDescending: readonly ScoredGalleryItem[];
  private readonly cache = new Map<string, readonly GalleryItem[]>();

  constructor(
    private readonly resultSet: ResultSet,
    thumbnails: readonly string[],
  ) {
    const order = resultSet.scored.map((_, index) => index);
    // The protocol's total order: score, ties by path.
    order.sort((a, b) => compareScoreDescending(resultSet.scored[a], resultSet.scored[b]));
    this.byScoreDescending = order.map((imageIndex, position) => {
      const image = resultSet.scored[imageIndex];
      return {
        kind: 'scored',
        relativePath: image.relativePath,
        instanceScore: image.instanceScore,
        semanticLogProb: image.semanticLogProb,
        backgroundLogProb: image.backgroundLogProb,
        rank: position + 1,
        imageUri: thumbnails[image.thumbnail % Math.max(1, thumbnails.length)] ?? '',
        label: resultSet.options.labelled ? image.label : undefined,
        ...(image.reasons ? { reasons: image.reasons } : {}),
      };
    });
  }

  /** The scored item for a path (pixel maps replies carry it). */
  scoredItem(relativePath: string): { item: ScoredGalleryItem; index: number } | undefined {
    const index = this.resultSet.scored.findIndex((image) => image.relativePath === relativePath);
    const item = this.byScoreDescending.find((entry) => entry.relativePath === relativePath);
    return item && index >= 0 ? { item, index } : undefined;
  }

  /** All items of a query, in its order (cached: a scroll asks for many pages of one list). */
  list(query: GalleryQuery): readonly GalleryItem[] {
    const key = `${query.filter}|${query.sort}|${query.threshold}|${query.search}`;
    let list = this.cache.get(key);
    if (!list) {
      list = this.compute(query);
      if (this.cache.size > 50) this.cache.clear();
      this.cache.set(key, list);
    }
    return list;
  }

  private compute(query: GalleryQuery): readonly GalleryItem[] {
    const search = query.search.toLowerCase();
    const matches = (path: string): boolean => search === '' || path.toLowerCase().includes(search);
    const failed: GalleryItem[] = this.resultSet.failed
      .filter((file) => matches(file.relativePath))
      .map((file): GalleryItem => ({ kind: 'failed', relativePath: file.relativePath, reason: file.reason }))
      .sort((a, b) => byPath(a.relativePath, b.relativePath));
    if (query.filter === 'errors') return failed;
    let scored = this.byScoreDescending.filter((item) => matches(item.relativePath));
    if (query.filter === 'outliers') scored = scored.filter((item) => isOutlierScore(Math.fround(item.instanceScore), query.threshold));
    if (query.filter === 'inliers') scored = scored.filter((item) => !isOutlierScore(Math.fround(item.instanceScore), query.threshold));
    if (query.sort === 'scoreAscending') scored = [...scored].reverse();
    if (query.sort === 'name') scored = [...scored].sort((a, b) => byPath(a.relativePath, b.relativePath));
    return query.filter === 'all' ? [...scored, ...failed] : scored;
  }
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Score descending, ties by path ascending. */
export function compareScoreDescending(a: { instanceScore: number; relativePath: string }, b: { instanceScore: number; relativePath: string }): number {
  return b.instanceScore - a.instanceScore || byPath(a.relativePath, b.relativePath);
}
