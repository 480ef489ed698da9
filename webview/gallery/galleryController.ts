import type { ScoredGalleryItem } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { Store } from '../app/store';
import type { HostChannel } from '../messaging/hostChannel';
import { GalleryGrid } from './galleryGrid';
import { galleryKeyAction, type GalleryKeyAction } from './galleryKeyboard';
import { queryKey, resolveQuery, type ResolvedQuery } from './galleryQuery';
import { gestureOf, nextSelection, type SelectionGesture } from './gallerySelection';
import { PageCache } from './pageCache';
import { scoreBucket } from './scoreBuckets';

/** The host's page limit: "select all flagged" asks for the flagged in pages this long. */
const FLAGGED_PAGE = 10_000;

/** Keys whose change means the gallery shows a different list. */
const LIST_KEYS: ReadonlySet<keyof AppState> = new Set<keyof AppState>(['filter', 'sort', 'search', 'reason', 'scan']);

/**
 * Connects the grid to the store and the host: resolves the list for the current filter, sort,
 * search and threshold, keeps the selection in view, and turns gallery actions into messages.
 */
export class GalleryController {
  /** The grid; its viewport goes into the gallery tab. */
  readonly grid: GalleryGrid;
  private readonly cache: PageCache;
  private listSignature = '';
  private selection: ReadonlySet<string> = new Set();
  private selectionSource: readonly string[] | undefined;
  /** Where a Shift-click range starts: the last image clicked or toggled. */
  private anchorIndex = 0;

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
      onClickItem: (index, event) => {
        this.select(index);
        this.applyGesture(index, gestureOf(event));
      },
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

  /** Replace the selection and tell the host (the actions on "the selected images" use it). */
  setSelection(selection: readonly string[]): void {
    this.store.update({ selection });
    this.channel.post({ type: 'didChangeSelection', selected: selection });
  }

  /** Select every image above the threshold (asked from the host in pages: the webview holds only the pages it shows). */
  async selectAllFlagged(): Promise<number> {
    const { scan, threshold } = this.store.state;
    if (!scan || !threshold) return 0;
    const total = scan.index.outlierCount(threshold.value);
    const paths: string[] = [];
    for (let offset = 0; offset < total; offset += FLAGGED_PAGE) {
      const page = await this.channel.request({ type: 'requestPage', offset, limit: FLAGGED_PAGE, query: { filter: 'outliers', sort: 'scoreDescending', search: '', threshold: threshold.value } });
      for (const item of page.items) paths.push(item.relativePath);
      if (page.items.length === 0) break;
    }
    this.setSelection(paths);
    return paths.length;
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
    const userChangedList = ['filter', 'sort', 'search', 'reason'].some((key) => changed.has(key as keyof AppState));
    if ([...changed].some((key) => LIST_KEYS.has(key) || key === 'threshold' || key === 'selectedIndex' || key === 'selection')) {
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
    const resolved: ResolvedQuery = resolveQuery({ ...state, threshold }, scan.index, scan.snapshot.failedCount, scan.snapshot.reasonCounts);
    const signature = `${queryKey(resolved.hostQuery)}@${resolved.offset}/${resolved.knownTotal}`;
    if (signature !== this.listSignature) {
      this.listSignature = signature;
      this.grid.setList(resolved);
    }
    if (state.selection !== this.selectionSource) {
      this.selectionSource = state.selection;
      this.selection = new Set(state.selection);
    }
    this.grid.setContext({
      threshold,
      selectedIndex: state.selectedIndex,
      selection: this.selection,
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
      case 'toggleSelection':
        this.applyGesture(index, 'toggle');
        break;
    }
  }

  private applyGesture(index: number, gesture: SelectionGesture): void {
    const item = this.grid.itemAt(index);
    if (!item) return;
    const range: string[] = [];
    if (gesture === 'range') {
      const [from, to] = [Math.min(this.anchorIndex, index), Math.max(this.anchorIndex, index)];
      for (let at = from; at <= to; at++) {
        const entry = this.grid.itemAt(at);
        if (entry) range.push(entry.relativePath);
      }
    } else {
      this.anchorIndex = index;
    }
    this.setSelection(nextSelection(this.store.state.selection, gesture, item.relativePath, range));
  }
}
