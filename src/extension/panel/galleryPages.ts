import { isOutlierScore } from '../../common/threshold/outlierRule';
import type { GalleryItem, GalleryQuery, ScoredGalleryItem } from '../../protocol/webview';
import type { FailedImage, GroundTruthLabel, ScoredImage } from '../../protocol/scanResults';
import type { ResultSet } from '../results/resultSet';

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A gallery entry before its image URI is known (URIs are made only for the page sent). */
export type GalleryEntry =
  | { readonly kind: 'scored'; readonly image: ScoredImage; readonly rank: number; readonly label?: GroundTruthLabel }
  | { readonly kind: 'failed'; readonly relativePath: string; readonly reason: string };

/** A gallery list as the host keeps it: slots of scored images (in the list's order) and the failed files after them. */
interface GalleryList {
  readonly scored: Int32Array;
  readonly failed: readonly FailedImage[];
}

/**
 * The gallery lists of a result set, cut into pages. Orders follow the protocol: score order with
 * ties by path (ascending is its reverse), failed files after the scored ones, by name; the
 * outlier filters compare the float32 score with the threshold, as the webview does. A list is
 * slots (four bytes an image); only the images of the page asked for are read from the store.
 */
export class GalleryPages {
  private cacheRevision = -1;
  private readonly cache = new Map<string, GalleryList>();

  constructor(private readonly resultSet: ResultSet) {}

  /** Entries `[offset, offset + limit)` of `query`, and how many the query matches. */
  page(query: GalleryQuery, offset: number, limit: number): { readonly total: number; readonly entries: readonly GalleryEntry[] } {
    const list = this.list(query);
    const total = list.scored.length + list.failed.length;
    const start = Math.min(total, Math.max(0, Math.floor(offset)));
    const end = Math.min(total, start + Math.max(0, Math.floor(limit)));
    const entries: GalleryEntry[] = [];
    for (let position = start; position < end; position++) {
      if (position < list.scored.length) {
        const slot = list.scored[position];
        const image = this.resultSet.imageAt(slot);
        entries.push({ kind: 'scored', image, rank: this.resultSet.rankOfSlot(slot), label: this.resultSet.labelOf(image.relativePath) });
      } else {
        const failure = list.failed[position - list.scored.length];
        entries.push({ kind: 'failed', relativePath: failure.relativePath, reason: failure.reason });
      }
    }
    return { total, entries };
  }

  private list(query: GalleryQuery): GalleryList {
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

  private compute(query: GalleryQuery): GalleryList {
    const search = query.search.toLowerCase();
    const matches = (path: string): boolean => search === '' || path.toLowerCase().includes(search);
    const failed = this.resultSet.failuresByPath().filter((failure) => matches(failure.relativePath));
    if (query.filter === 'errors') {
      return { scored: new Int32Array(0), failed };
    }
    const resultSet = this.resultSet;
    let scored: Int32Array = resultSet.slotsByScore().filter((slot) => {
      const score = Math.fround(resultSet.scoreAt(slot));
      return matches(resultSet.pathAt(slot))
        && (query.filter !== 'outliers' || isOutlierScore(score, query.threshold))
        && (query.filter !== 'inliers' || !isOutlierScore(score, query.threshold));
    });
    if (query.sort === 'scoreAscending') scored = scored.reverse();
    if (query.sort === 'name') scored = scored.sort((a, b) => byPath(resultSet.pathAt(a), resultSet.pathAt(b)));
    return { scored, failed: query.filter === 'all' ? failed : [] };
  }
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
