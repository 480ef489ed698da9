import { galleryList } from '../../common/gallery/galleryList';
import type { GalleryItem, GalleryQuery, ScoredGalleryItem } from '../../protocol/webview';
import type { GroundTruthLabel, ScoredImage } from '../../protocol/scanResults';
import type { ResultSet } from '../results/resultSet';

/** A gallery entry before its image URI is known (URIs are made only for the page sent). */
export type GalleryEntry =
  | { readonly kind: 'scored'; readonly image: ScoredImage; readonly rank: number; readonly label?: GroundTruthLabel }
  | { readonly kind: 'failed'; readonly relativePath: string; readonly reason: string };

/**
 * The gallery lists of a result set, cut into pages; the query rule itself is `galleryList`
 * (src/common/gallery), which the webview tests' fake host uses too.
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
    return galleryList(query, this.resultSet.scoredByScore(), this.resultSet.failuresByPath()).map((row): GalleryEntry => (row.kind === 'failed'
      ? { kind: 'failed', relativePath: row.item.relativePath, reason: row.item.reason }
      : { kind: 'scored', image: row.item, rank: row.rank, label: this.resultSet.labelOf(row.item.relativePath) }));
  }
}

/** The protocol's gallery item for an entry, given its image URI. */
export function toGalleryItem(entry: GalleryEntry, imageUri: string): GalleryItem {
  if (entry.kind === 'failed') {
    return { kind: 'failed', relativePath: entry.relativePath, reason: entry.reason };
  }
  return scoredGalleryItem(entry.image, entry.rank, imageUri, entry.label);
}

/** What the gallery shows of a scored image (the webview tests' fake host has no more). */
export type GalleryImage = Pick<ScoredImage, 'relativePath' | 'instanceScore' | 'semanticLogProb' | 'backgroundLogProb'> & Pick<ScoredGalleryItem, 'reasons'>;

/** One scored image as the webview lists it, with its ground truth when known. */
export function scoredGalleryItem(image: GalleryImage, rank: number, imageUri: string, label?: GroundTruthLabel): ScoredGalleryItem {
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
