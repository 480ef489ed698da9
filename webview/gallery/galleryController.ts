import type { ScoredGalleryItem } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { Store } from '../app/store';
import type { HostChannel } from '../messaging/hostChannel';
import { GalleryGrid } from './galleryGrid';
import { galleryKeyAction, type GalleryKeyAction } from './galleryKeyboard';
import { queryKey, resolveQuery, type ResolvedQuery } from './galleryQuery';
import { PageCache } from './pageCache';
import { scoreBucket } from './scoreBuckets';

/** Keys whose change means the gallery shows a different list. */
const LIST_KEYS: ReadonlySet<keyof AppState> = new Set<keyof AppState>(['filter', 'sort', 'search', 'scan']);

/**
 * Connects the grid to the store and the host: resolves the list for the current filter, sort,
 * search and threshold, keeps the selection in view, and turns gallery actions into messages.
 */
export class GalleryController {
  /** The grid; its viewport goes into the gallery tab. */
  readonly grid: GalleryGrid;
  private readonly cache: PageCache;
  private listSignature = '';
  private marked: ReadonlySet<string> = new Set();
  private markedSource: readonly string[] | undefined;

  constructor(
    private readonly store: Store<AppState>,
    private readonly channel: HostChannel,
    private readonly scheduler: FrameScheduler,
    /** Opens the detail view of a scored item. */
    private readonly openDetail: (item: ScoredGalleryItem, index: number) => void,
  ) {
    this.cache = new PageCache((query, offset, limit) => channel.request({ type: 'requestPage', offset, limit, query }));
    this.cache.onPageLoaded(() => this.scheduleRender());
    this.grid = new GalleryGrid(this.cache, {
      onKey: (press, layout) => {
        // The store, not the last rendered frame, knows the selection: key repeat outpaces frames.
        const action = galleryKeyAction(press, { index: store.state.selectedIndex, ...layout });
        if (action) this.onKeyAction(action);
        return action !== undefined;
      },
      onClickItem: (index) => this.select(index),
      onDoubleClickItem: (index) => {
        this.select(index);
        this.onKeyAction({ kind: 'openDetail' });
      },
      onScroll: (scrollTop) => store.update({ scrollTop }),
      requestRender: () => this.scheduleRender(),
    });
    this.grid.restoreScroll(store.state.scrollTop);
    store.subscribe((state, changed) => this.onStateChange(state, changed));
  }

  /** The item at list position `index` if its page is cached (detail view navigation). */
  itemAt(index: number): ScoredGalleryItem | undefined {
    const item = this.grid.itemAt(index);
    return item?.kind === 'scored' ? item : undefined;
  }

  /** Number of items in the current list. */
  get total(): number {
    return this.grid.total;
  }

  /** Select `index` and bring it into view. */
  select(index: number): void {
    this.store.update({ selectedIndex: index });
    this.grid.revealIndex(index);
  }

  /** Scroll back to the saved position after the gallery was hidden (detail view, other tab). */
  showAgain(): void {
    this.grid.restoreScroll(this.store.state.scrollTop);
    this.scheduleRender();
  }

  private onStateChange(state: AppState, changed: ReadonlySet<keyof AppState>): void {
    if (changed.has('scan') && state.scan) {
      this.cache.reset(state.scan.snapshot.revision);
    }
    const userChangedList = ['filter', 'sort', 'search'].some((key) => changed.has(key as keyof AppState));
    if ([...changed].some((key) => LIST_KEYS.has(key) || key === 'threshold' || key === 'selectedIndex' || key === 'marked')) {
      if (userChangedList) {
        this.grid.restoreScroll(state.scrollTop); // The toolbar resets it to the top of the new list.
      }
      this.scheduleRender();
    }
  }

  private scheduleRender(): void {
    this.scheduler.schedule('gallery', () => this.render());
  }

  private render(): void {
    const state = this.store.state;
    const scan = state.scan;
    if (!scan || !state.threshold) return;
    const threshold = state.threshold.value;
    const resolved: ResolvedQuery = resolveQuery({ ...state, threshold }, scan.index, scan.snapshot.failedCount);
    const signature = `${queryKey(resolved.hostQuery)}@${resolved.offset}/${resolved.knownTotal}`;
    if (signature !== this.listSignature) {
      this.listSignature = signature;
      this.grid.setList(resolved);
    }
    if (state.marked !== this.markedSource) {
      this.markedSource = state.marked;
      this.marked = new Set(state.marked);
    }
    this.grid.setContext({
      threshold,
      selectedIndex: state.selectedIndex,
      marked: this.marked,
      bucketOf: (score) => scoreBucket(scan.index.percentileOf(score)),
    });
    const loaded = this.grid.render();
    if (loaded > 0 && !document.body.dataset.galleryReady) {
      // Benchmarks and tests measure "initial render" up to here.
      performance.mark('outlier-lens:first-gallery');
      document.body.dataset.galleryReady = 'true';
    }
  }

  private onKeyAction(action: GalleryKeyAction): void {
    const index = this.store.state.selectedIndex;
    if (action.kind === 'select') {
      this.select(action.index);
      return;
    }
    const item = this.grid.itemAt(index);
    if (!item) return;
    switch (action.kind) {
      case 'openDetail':
        if (item.kind === 'scored') this.openDetail(item, index);
        break;
      case 'openImage':
        this.channel.post({ type: 'openImage', relativePath: item.relativePath });
        break;
      case 'reveal':
        this.channel.post({ type: 'revealInExplorer', relativePath: item.relativePath });
        break;
      case 'toggleMark':
        this.toggleMark(item.relativePath);
        break;
    }
  }

  private toggleMark(relativePath: string): void {
    const marked = new Set(this.store.state.marked);
    const isMarked = !marked.has(relativePath);
    if (isMarked) marked.add(relativePath);
    else marked.delete(relativePath);
    const list = [...marked];
    this.store.update({ marked: list });
    this.channel.post({ type: 'didChangeMarks', changed: relativePath, isMarked, marked: list });
  }
}
