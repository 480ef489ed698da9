import type { GalleryItem, GalleryQuery, PageReply } from '../../src/protocol/webview';
import { queryKey } from './galleryQuery';

/** Fetches one page of a query from the host. */
export type PageFetcher = (query: GalleryQuery, offset: number, limit: number) => Promise<PageReply>;

interface CachedPage {
  readonly items: readonly GalleryItem[];
}

/**
 * Pages of gallery items, least recently used dropped first, so scrolling back is instant and
 * memory stays bounded at 100,000 results. Duplicate requests for a page in flight are merged.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly inFlight = new Set<string>();
  private readonly totals = new Map<string, number>();
  private readonly loadListeners = new Set<() => void>();
  private revision = -1;
  /** Bumped on every reset, so replies to requests from before it are dropped. */
  private generation = 0;

  constructor(
    private readonly fetchPage: PageFetcher,
    /** Items per page. */
    readonly pageSize = 200,
    /** Pages kept; 120 × 200 = 24,000 items. */
    private readonly capacity = 120,
  ) {}

  /** Start over for a new result set (a new snapshot: another scan, or a new revision of this one). */
  reset(revision: number): void {
    this.revision = revision;
    this.generation++;
    this.pages.clear();
    this.totals.clear();
    this.inFlight.clear();
  }

  /** The item at `position` of `query`, or undefined while its page loads (the load is started). */
  itemAt(query: GalleryQuery, position: number): GalleryItem | undefined {
    const pageIndex = Math.floor(position / this.pageSize);
    const key = `${queryKey(query)}#${pageIndex}`;
    const page = this.pages.get(key);
    if (!page) {
      this.load(query, pageIndex, key);
      return undefined;
    }
    // Re-insert to mark it most recently used (Map keeps insertion order).
    this.pages.delete(key);
    this.pages.set(key, page);
    return page.items[position - pageIndex * this.pageSize];
  }

  /** Start loading the page holding `position` without waiting for it (prefetch). */
  prefetch(query: GalleryQuery, position: number): void {
    const pageIndex = Math.floor(position / this.pageSize);
    const key = `${queryKey(query)}#${pageIndex}`;
    if (!this.pages.has(key)) {
      this.load(query, pageIndex, key);
    }
  }

  /** The host's total for `query`, once any of its pages came back. */
  totalOf(query: GalleryQuery): number | undefined {
    return this.totals.get(queryKey(query));
  }

  /** Called after any page arrives, so the grid can fill its placeholders. */
  onPageLoaded(listener: () => void): void {
    this.loadListeners.add(listener);
  }

  private load(query: GalleryQuery, pageIndex: number, key: string): void {
    if (this.inFlight.has(key)) {
      return;
    }
    this.inFlight.add(key);
    const generation = this.generation;
    this.fetchPage(query, pageIndex * this.pageSize, this.pageSize).then(
      (reply) => {
        if (generation !== this.generation || reply.revision !== this.revision) {
          return; // Cut from a result set we no longer show.
        }
        this.inFlight.delete(key);
        this.pages.set(key, { items: reply.items });
        this.totals.set(queryKey(query), reply.total);
        while (this.pages.size > this.capacity) {
          const oldest = this.pages.keys().next().value;
          if (oldest === undefined) break;
          this.pages.delete(oldest);
        }
        for (const listener of this.loadListeners) listener();
      },
      () => {
        if (generation === this.generation) this.inFlight.delete(key); // The next visit retries.
      },
    );
  }
}
