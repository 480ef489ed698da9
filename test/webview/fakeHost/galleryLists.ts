import { compareByPath, compareScoreDescending, galleryList } from '../../../src/common/gallery/galleryList';
import { scoredGalleryItem } from '../../../src/extension/panel/galleryPages';
import type { FailedImage } from '../../../src/protocol/scanResults';
import type { GalleryItem, GalleryQuery, ScoredGalleryItem } from '../../../src/protocol/webview';
import type { FixtureImage, ResultSet } from '../fixtures/resultSet';

/**
 * The gallery as the extension host serves it, with the host's own query rule (`galleryList`) and
 * items (`scoredGalleryItem`) over the generated result set, whole lists per query.
 */
export class GalleryLists {
  private readonly scoredByScore: readonly FixtureImage[];
  private readonly failedByPath: readonly FailedImage[];
  /** Lists by query key: a scroll asks for many pages of one list. */
  private readonly listsByQuery = new Map<string, readonly GalleryItem[]>();

  constructor(
    private readonly resultSet: ResultSet,
    private readonly thumbnails: readonly string[],
  ) {
    this.scoredByScore = [...resultSet.scored].sort(compareScoreDescending);
    this.failedByPath = [...resultSet.failed].sort((a, b) => compareByPath(a.relativePath, b.relativePath));
  }

  /** The scored item for a path (pixel maps replies carry it), and its index in the generated set. */
  scoredItem(relativePath: string): { item: ScoredGalleryItem; index: number } | undefined {
    const index = this.resultSet.scored.findIndex((image) => image.relativePath === relativePath);
    const rank = this.scoredByScore.findIndex((image) => image.relativePath === relativePath) + 1;
    return index >= 0 ? { item: this.toItem(this.resultSet.scored[index], rank), index } : undefined;
  }

  /** All items of a query, in its order. */
  list(query: GalleryQuery): readonly GalleryItem[] {
    const key = JSON.stringify(query);
    const cached = this.listsByQuery.get(key);
    if (cached) return cached;
    const items = galleryList(query, this.scoredByScore, this.failedByPath).map((row): GalleryItem => (row.kind === 'failed'
      ? { kind: 'failed', relativePath: row.item.relativePath, reason: row.item.reason }
      : this.toItem(row.item, row.rank)));
    if (this.listsByQuery.size > 50) this.listsByQuery.clear();
    this.listsByQuery.set(key, items);
    return items;
  }

  private toItem(image: FixtureImage, rank: number): ScoredGalleryItem {
    const thumbnail = this.thumbnails[image.thumbnail % Math.max(1, this.thumbnails.length)] ?? '';
    return scoredGalleryItem(image, rank, thumbnail, this.resultSet.options.labelled ? image.label : undefined);
  }
}
