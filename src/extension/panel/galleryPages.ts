import { isOutlierScore } from '../../common/threshold/outlierRule';
import type { GalleryItem, GalleryQuery, ScoredGalleryItem } from '../../protocol/webview';
import type { GroundTruthLabel, ScoredImage } from '../../protocol/scanResults';
import type { ResultSet } from '../results/resultSet';

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A gallery entry before its image URI is known (URIs are made only for the page sent). */
export type GalleryEntry =
  | { readonly kind: 'scored'; readonly image: ScoredImage; readonly rank: number; readonly label?: GroundTruthLabel }
  | { readonly kind: 'failed'; readonly relativePath: string; readonly reason: string };

/**
 * The gallery lists of a result set, cut into pages. Orders follow the protocol: score order with
 * ties by path (ascending is its reverse), failed files after the scored ones, by name; the
 * outlier filters compare the float32 score with the threshold, as the webview does.
 */
export class GalleryPages {
  private cacheRevision = -1;
  private readonly cache = new Map<string, readonly GalleryEntry[]>();

  constructor(private readonly resultSet: ResultSet) {}

  /** Entries `[offset, offset + limit)` of `query`, and how many the query matches. */
  page(query: GalleryQuery, offset: number, limit: number): { readonly total: number; readonly entries: readonly GalleryEntry[] } {
    const list = this.list(query);
    const start = Math.max(0, Math.floor(offset));
    return { total: list.length, entries: list.slice(start, start + Math.max(0, Math.floor(limit))) };
  }

  private list(query: GalleryQuery): readonly GalleryEntry[] {
    if (this.cacheRevision !== this.resultSet.revision) {
      this.cache.clear();
      this.cacheRevision = this.resultSet.revision;
    }
    const key = `${query.filter}|${query.sort}|${query.threshold}|${query.search}`;
    let list = this.cache.get(key);
    if (!list) {
      list = this.compute(query);
      if (this.cache.size > 32) this.cache.clear();
      this.cache.set(key, list);
    }
    return list;
  }

  private compute(query: GalleryQuery): readonly GalleryEntry[] {
    const search = query.search.toLowerCase();
    const matches = (path: string): boolean => search === '' || path.toLowerCase().includes(search);
    const failed: GalleryEntry[] = this.resultSet.failuresByPath()
      .filter((failure) => matches(failure.relativePath))
      .map((failure) => ({ kind: 'failed', relativePath: failure.relativePath, reason: failure.reason }));
    if (query.filter === 'errors') {
      return failed;
    }
    let scored: GalleryEntry[] = [];
    this.resultSet.scoredByScore().forEach((image, index) => {
      const score = Math.fround(image.instanceScore);
      const keep = matches(image.relativePath)
        && (query.filter !== 'outliers' || isOutlierScore(score, query.threshold))
        && (query.filter !== 'inliers' || !isOutlierScore(score, query.threshold));
      if (keep) scored.push({ kind: 'scored', image, rank: index + 1, label: this.resultSet.labelOf(image.relativePath) });
    });
    if (query.sort === 'scoreAscending') scored = scored.reverse();
    if (query.sort === 'name') scored = scored.sort((a, b) => byPath(entryPath(a), entryPath(b)));
    return query.filter === 'all' ? [...scored, ...failed] : scored;
  }
}

function entryPath(entry: GalleryEntry): string {
  return entry.kind === 'scored' ? entry.image.relativePath : entry.relativePath;
}

/** The protocol's gallery item for an entry, given its image URI. */
export function toGalleryItem(entry: GalleryEntry, imageUri: string): GalleryItem {
  if (entry.kind === 'failed') {
    return { kind: 'failed', relativePath: entry.relativePath, reason: entry.reason };
  }
  return scoredGalleryItem(entry.image, entry.rank, imageUri, entry.label);
}

/** One scored image as the webview lists it, with its ground truth when known. */
export function scoredGalleryItem(image: ScoredImage, rank: number, imageUri: string, label?: GroundTruthLabel): ScoredGalleryItem {
  return {
    kind: 'scored',
    relativePath: image.relativePath,
    instanceScore: image.instanceScore,
    semanticLogProb: image.semanticLogProb,
    backgroundLogProb: image.backgroundLogProb,
    rank,
    imageUri,
    ...(label ? { label } : {}),
    ...(image.reasons && image.reasons.length > 0 ? { reasons: image.reasons } : {}),
  };
}
