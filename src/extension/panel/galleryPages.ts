import { galleryList } from '../../common/gallery/galleryList';
import type { GalleryItem, GalleryQuery, ScoredGalleryItem } from '../../protocol/webview';
import type { GroundTruthLabel, OutlierReason, ScoredImage } from '../../protocol/scanResults';
import type { ResultSet } from '../results/resultSet';

/** A gallery entry before its image URI is known (URIs are made only for the page sent). */
export type GalleryEntry =
  | { readonly kind: 'scored'; readonly image: ScoredImage; readonly rank: number; readonly label?: GroundTruthLabel; readonly reasons?: readonly OutlierReason[] }
  | { readonly kind: 'failed'; readonly relativePath: string; readonly reason: string };

/**
 * The gallery lists of a result set, cut into pages. Orders follow the protocol: score order with
 * ties by path (ascending is its reverse), failed files after the scored ones, by name; the
 * rule is the shared one (`src/common/gallery/galleryList.ts`), with the reasons the result set
 * gives each image (its own and the folder's).
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
    const key = `${query.filter}|${query.sort}|${query.threshold}|${query.search}|${query.reason ?? ''}`;
    let list = this.cache.get(key);
    if (!list) {
      list = this.compute(query);
      if (this.cache.size > 32) this.cache.clear();
      this.cache.set(key, list);
    }
    return list;
  }

  private compute(query: GalleryQuery): readonly GalleryEntry[] {
    const resultSet = this.resultSet;
    return galleryList(resultSet.scoredByScore(), resultSet.failuresByPath(), query, (image) => resultSet.reasonsOf(image)).map((entry): GalleryEntry =>
      entry.kind === 'failed'
        ? { kind: 'failed', relativePath: entry.failure.relativePath, reason: entry.failure.reason }
        : { kind: 'scored', image: entry.image, rank: entry.rank, label: resultSet.labelOf(entry.image.relativePath), reasons: resultSet.reasonsOf(entry.image) },
    );
  }
}

/** The protocol's gallery item for an entry, given its image URI. */
export function toGalleryItem(entry: GalleryEntry, imageUri: string): GalleryItem {
  if (entry.kind === 'failed') {
    return { kind: 'failed', relativePath: entry.relativePath, reason: entry.reason };
  }
  return scoredGalleryItem(entry.image, entry.rank, imageUri, entry.label, entry.reasons);
}

/** One scored image as the webview lists it, with its ground truth when known. */
export function scoredGalleryItem(image: ScoredImage, rank: number, imageUri: string, label?: GroundTruthLabel, reasons: readonly OutlierReason[] | undefined = image.reasons): ScoredGalleryItem {
  return {
    kind: 'scored',
    relativePath: image.relativePath,
    instanceScore: image.instanceScore,
    semanticLogProb: image.semanticLogProb,
    backgroundLogProb: image.backgroundLogProb,
    rank,
    imageUri,
    ...(label ? { label } : {}),
    ...(reasons && reasons.length > 0 ? { reasons } : {}),
  };
}
