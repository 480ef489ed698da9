import { galleryList, objectAccess } from '../../../src/common/gallery/galleryList';
import type { FailedGalleryItem, GalleryItem, GalleryQuery, RankingSettings, ScoredGalleryItem } from '../../../src/protocol/webview';
import { MARK_ONLY_REASONS } from '../../../src/protocol/scanResults';
import type { OutlierReason, ScoredImage } from '../../../src/protocol/scanResults';
import { imageVerdict } from '../../../src/extension/results/ranking';
import type { FixtureImage, ResultSet } from '../fixtures/resultSet';

/** A fixture image's ranked score and reasons under `ranking` (the host's rule, `imageVerdict`), or its LLR and own reasons without one. */
export function rankedImage(image: FixtureImage, ranking: RankingSettings | null): { score: number; reasons?: readonly OutlierReason[] } {
  if (ranking?.mode !== 'verdict') return { score: image.instanceScore, ...(image.reasons ? { reasons: image.reasons } : {}) };
  const verdict = imageVerdict(image as unknown as ScoredImage, ranking, null);
  const reasons = [...verdict.reasons, ...(image.reasons ?? []).filter((reason) => MARK_ONLY_REASONS.includes(reason))];
  return { score: verdict.outlierScore, ...(reasons.length > 0 ? { reasons } : {}) };
}

/** The gallery as the extension host would serve it: whole lists per query, cut into pages. */
export class GalleryLists {
  private readonly byScoreDescending: readonly ScoredGalleryItem[];
  private readonly cache = new Map<string, readonly GalleryItem[]>();

  constructor(
    private readonly resultSet: ResultSet,
    thumbnails: readonly string[],
    ranking: RankingSettings | null = null,
  ) {
    const ranked = resultSet.scored.map((image) => rankedImage(image, ranking));
    const order = resultSet.scored.map((_, index) => index);
    // The protocol's total order: ranked score, ties by LLR, then by path.
    order.sort((a, b) => ranked[b].score - ranked[a].score || compareScoreDescending(resultSet.scored[a], resultSet.scored[b]));
    this.byScoreDescending = order.map((imageIndex, position) => {
      const image = resultSet.scored[imageIndex];
      const { score, reasons } = ranked[imageIndex];
      return {
        kind: 'scored',
        relativePath: image.relativePath,
        score,
        instanceScore: image.instanceScore,
        semanticLogProb: image.semanticLogProb,
        backgroundLogProb: image.backgroundLogProb,
        rank: position + 1,
        imageUri: thumbnails[image.thumbnail % Math.max(1, thumbnails.length)] ?? '',
        label: resultSet.options.labelled ? image.label : undefined,
        ...(ranking ? { tailProbabilities: image.tailProbabilities } : {}),
        ...(reasons ? { reasons } : {}),
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
    const key = `${query.filter}|${query.sort}|${query.threshold}|${query.search}|${query.reason ?? ''}`;
    let list = this.cache.get(key);
    if (!list) {
      list = this.compute(query);
      if (this.cache.size > 50) this.cache.clear();
      this.cache.set(key, list);
    }
    return list;
  }

  /** Every scored item in score order (reason counts are taken over it). */
  get scoredItems(): readonly ScoredGalleryItem[] {
    return this.byScoreDescending;
  }

  private compute(query: GalleryQuery): readonly GalleryItem[] {
    // The host's own list rule, over the fixture's items.
    const failed = this.resultSet.failed
      .map((file): FailedGalleryItem => ({ kind: 'failed', relativePath: file.relativePath, reason: file.reason }))
      .sort((a, b) => byPath(a.relativePath, b.relativePath));
    return galleryList(this.byScoreDescending, failed, query, { ...objectAccess<ScoredGalleryItem>((item) => item.reasons), scoreOf: (item) => item.score }).map((entry) => (entry.kind === 'scored' ? entry.image : entry.failure));
  }
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Score descending, ties by path ascending. */
export function compareScoreDescending(a: { instanceScore: number; relativePath: string }, b: { instanceScore: number; relativePath: string }): number {
  return b.instanceScore - a.instanceScore || byPath(a.relativePath, b.relativePath);
}
