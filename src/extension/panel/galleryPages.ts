import { galleryPositions } from '../../common/gallery/galleryList';
import type { GalleryItem, GalleryQuery, ScoredGalleryItem } from '../../protocol/webview';
import type { FailedImage, GroundTruthLabel, OutlierReason, ScoredImage } from '../../protocol/scanResults';
import type { ResultSet } from '../results/resultSet';

/** What the panel shows of a scored image beside the image itself: its rank and ranked score, ground truth and reasons. */
export interface ScoredFacts {
  readonly rank: number;
  /** The ranked score (outlier score or LLR, see the result set's ranking). */
  readonly score: number;
  readonly label?: GroundTruthLabel;
  readonly reasons?: readonly OutlierReason[];
}

/** A gallery entry before its image URI is known (URIs are made only for the page sent). */
export type GalleryEntry =
  | ({ readonly kind: 'scored'; readonly image: ScoredImage } & ScoredFacts)
  | { readonly kind: 'failed'; readonly relativePath: string; readonly reason: string };

/** A gallery list as the host keeps it: slots of scored images (in the list's order) and the failed files after them. */
interface GalleryList {
  readonly scored: Int32Array;
  readonly failed: readonly FailedImage[];
}

/**
 * The gallery lists of a result set, cut into pages, by the shared rule
 * (`src/common/gallery/galleryList.ts`) with the reasons the result set gives each image (its own
 * and the folder's). A list is slots (four bytes an image); only the images of the page asked for
 * are read from the store.
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
        entries.push({ kind: 'scored', image, ...scoredFacts(this.resultSet, image) });
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
    const key = `${query.filter}|${query.sort}|${query.threshold}|${query.search}|${query.reason ?? ''}`;
    let list = this.cache.get(key);
    if (!list) {
      list = this.compute(query);
      if (this.cache.size > 32) this.cache.clear();
      this.cache.set(key, list);
    }
    return list;
  }

  private compute(query: GalleryQuery): GalleryList {
    const resultSet = this.resultSet;
    const slots = resultSet.slotsByScore();
    // The shared rule over positions in score order: paths, scores and reasons from the index.
    const list = galleryPositions(slots.length, resultSet.failuresByPath(), query, {
      pathOf: (position) => resultSet.pathAt(slots[position]),
      scoreOf: (position) => resultSet.scoreAt(slots[position]),
      reasonsOf: (position) => resultSet.reasonsAt(slots[position]),
    });
    // Positions become slots in place: the list is one typed array either way.
    const scored = list.scored;
    for (let i = 0; i < scored.length; i++) scored[i] = slots[scored[i]];
    return { scored, failed: list.failed };
  }
}

/** The protocol's gallery item for an entry, given its image URI. */
export function toGalleryItem(entry: GalleryEntry, imageUri: string): GalleryItem {
  if (entry.kind === 'failed') {
    return { kind: 'failed', relativePath: entry.relativePath, reason: entry.reason };
  }
  return scoredGalleryItem(entry.image, entry, imageUri);
}

/** Rank, ranked score, ground truth and reasons of a scored image of `resultSet`, under its ranking. */
export function scoredFacts(resultSet: ResultSet, image: ScoredImage): ScoredFacts {
  const slot = resultSet.slotOf(image.relativePath);
  return {
    rank: slot === undefined ? 0 : resultSet.rankOfSlot(slot),
    score: slot === undefined ? image.instanceScore : resultSet.scoreAt(slot),
    label: resultSet.labelOf(image.relativePath),
    reasons: resultSet.reasonsOf(image),
  };
}

/** One scored image as the webview lists it, with its ground truth when known. */
export function scoredGalleryItem(image: ScoredImage, facts: ScoredFacts, imageUri: string): ScoredGalleryItem {
  const { label, reasons } = facts;
  return {
    kind: 'scored',
    relativePath: image.relativePath,
    score: facts.score,
    instanceScore: image.instanceScore,
    semanticLogProb: image.semanticLogProb,
    backgroundLogProb: image.backgroundLogProb,
    rank: facts.rank,
    imageUri,
    ...(image.tailProbabilities ? { tailProbabilities: image.tailProbabilities } : {}),
    ...(label ? { label } : {}),
    ...(reasons && reasons.length > 0 ? { reasons } : {}),
  };
}
