import type { GalleryItem } from '../../src/protocol/webview';
import { element } from '../dom/element';
import { GalleryCell, type CellContext } from './galleryCell';
import type { ResolvedQuery } from './galleryQuery';
import type { PageCache } from './pageCache';

/** Cell pitch in CSS pixels; the CSS sizes `.gallery-cell` to fit inside it. */
export const CELL_WIDTH = 132;
/** Row pitch in CSS pixels. */
export const ROW_HEIGHT = 160;
/** Rows rendered above and below the viewport, so a fast scroll rarely shows empty space. */
const OVERSCAN_ROWS = 2;
const PADDING = 8;

/** What the grid reports to its owner. */
export interface GalleryGridEvents {
  /** A key press in the grid, with the grid's layout; the owner knows the current selection. */
  readonly onKey: (press: KeyboardEvent, layout: { readonly columns: number; readonly total: number; readonly rowsPerPage: number }) => boolean;
  readonly onClickItem: (index: number, event: MouseEvent) => void;
  readonly onDoubleClickItem: (index: number) => void;
  readonly onScroll: (scrollTop: number) => void;
  /** The grid needs a frame (resize, page arrived). */
  readonly requestRender: () => void;
}

/**
 * A virtualised grid: only the rows in view (plus overscan) have cells, cells are recycled as
 * they scroll out, and the viewport's size is read from a ResizeObserver, never in the frame.
 */
export class GalleryGrid {
  /** The scrolling, focusable element (role listbox). */
  readonly viewport: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly cellsByIndex = new Map<number, GalleryCell>();
  private readonly spareCells: GalleryCell[] = [];
  private width = 0;
  private height = 0;
  private scrollTop = 0;
  private placedColumns = 0;
  private resolved: ResolvedQuery | undefined;
  private context: CellContext = { threshold: 0, selectedIndex: 0, selection: new Set(), bucketOf: () => 0 };
  private pendingScrollTop: number | undefined;

  constructor(
    private readonly cache: PageCache,
    private readonly events: GalleryGridEvents,
  ) {
    this.sizer = element('div', { className: 'gallery-sizer' });
    this.viewport = element('div', {
      id: 'gallery',
      className: 'gallery-viewport',
      attributes: { tabindex: '0', role: 'listbox', 'aria-label': 'Images by score', 'aria-multiselectable': 'true' },
    }, [this.sizer]);
    this.viewport.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.viewport.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.viewport.addEventListener('click', (event) => this.withCellIndex(event, (index) => events.onClickItem(index, event)));
    this.viewport.addEventListener('dblclick', (event) => this.withCellIndex(event, events.onDoubleClickItem));
    // Shift-click selects a range: keep the browser from selecting the names' text as well.
    this.viewport.addEventListener('mousedown', (event) => {
      if (event.shiftKey) event.preventDefault();
    });
    new ResizeObserver((entries) => {
      const box = entries[entries.length - 1].contentRect;
      this.width = box.width;
      this.height = box.height;
      events.requestRender();
    }).observe(this.viewport);
  }

  /** Columns that fit the current width. */
  get columns(): number {
    return Math.max(1, Math.floor((this.width - PADDING) / CELL_WIDTH));
  }

  /** Number of items in the current list. */
  get total(): number {
    if (!this.resolved) return 0;
    return this.resolved.knownTotal ?? this.cache.totalOf(this.resolved.hostQuery) ?? 0;
  }

  /** The item at list position `index`, if its page is cached. */
  itemAt(index: number): GalleryItem | undefined {
    if (!this.resolved || index < 0 || index >= this.total) return undefined;
    return this.cache.itemAt(this.resolved.hostQuery, this.resolved.offset + index);
  }

  /** Show another list (filter, sort, search or threshold changed). */
  setList(resolved: ResolvedQuery): void {
    this.resolved = resolved;
  }

  /** Threshold, current item, selection and badge colours for the next render. */
  setContext(context: CellContext): void {
    this.context = context;
  }

  /** Scroll to `scrollTop` as soon as the grid is visible and tall enough (restoring state). */
  restoreScroll(scrollTop: number): void {
    this.pendingScrollTop = scrollTop;
  }

  /** Scroll so that the item at `index` is fully visible. */
  revealIndex(index: number): void {
    const top = PADDING + Math.floor(index / this.columns) * ROW_HEIGHT;
    if (top < this.scrollTop) {
      this.setScrollTop(top - PADDING);
    } else if (top + ROW_HEIGHT > this.scrollTop + this.height) {
      this.setScrollTop(top + ROW_HEIGHT - this.height + PADDING);
    }
  }

  /** Lay out and fill the visible cells; called once per frame at most. Returns how many show a loaded item. */
  render(): number {
    if (this.height === 0) return 0; // Hidden (another tab): render when shown.
    const columns = this.columns;
    const total = this.total;
    const rows = Math.ceil(total / columns);
    this.sizer.style.height = `${rows * ROW_HEIGHT + 2 * PADDING}px`;
    if (this.pendingScrollTop !== undefined && (total > 0 || this.resolved?.knownTotal === 0)) {
      this.setScrollTop(this.pendingScrollTop);
      this.pendingScrollTop = undefined;
    }
    if (columns !== this.placedColumns) {
      this.releaseAll(); // Every cell's coordinates change.
      this.placedColumns = columns;
    }
    const firstRow = Math.max(0, Math.floor((this.scrollTop - PADDING) / ROW_HEIGHT) - OVERSCAN_ROWS);
    const lastRow = Math.min(rows, Math.ceil((this.scrollTop + this.height) / ROW_HEIGHT) + OVERSCAN_ROWS);
    const first = firstRow * columns;
    const last = Math.min(total, lastRow * columns);
    for (const [index, cell] of this.cellsByIndex) {
      if (index < first || index >= last) {
        this.cellsByIndex.delete(index);
        cell.hide();
        this.spareCells.push(cell);
      }
    }
    let loaded = 0;
    for (let index = first; index < last; index++) {
      let cell = this.cellsByIndex.get(index);
      if (!cell) {
        cell = this.spareCells.pop() ?? this.createCell();
        this.cellsByIndex.set(index, cell);
        cell.place(PADDING + (index % columns) * CELL_WIDTH, PADDING + Math.floor(index / columns) * ROW_HEIGHT);
      }
      const item = this.itemAt(index);
      if (item) loaded++;
      cell.show(item, index, this.context);
    }
    if (this.resolved && total === 0 && this.resolved.knownTotal === undefined) {
      this.cache.prefetch(this.resolved.hostQuery, this.resolved.offset); // A search: learn its total.
    } else if (this.resolved && last < total) {
      // The page after the visible rows, so scrolling on finds it cached.
      this.cache.prefetch(this.resolved.hostQuery, this.resolved.offset + Math.min(total - 1, last + this.cache.pageSize / 2));
    }
    this.viewport.setAttribute('aria-activedescendant', `gallery-item-${this.context.selectedIndex}`);
    this.viewport.classList.toggle('is-empty', total === 0);
    return loaded;
  }

  private setScrollTop(scrollTop: number): void {
    this.viewport.scrollTop = Math.max(0, scrollTop);
    this.scrollTop = this.viewport.scrollTop;
  }

  private createCell(): GalleryCell {
    const cell = new GalleryCell();
    this.viewport.append(cell.root);
    return cell;
  }

  private releaseAll(): void {
    for (const cell of this.cellsByIndex.values()) {
      cell.hide();
      this.spareCells.push(cell);
    }
    this.cellsByIndex.clear();
  }

  private onScroll(): void {
    if (this.height === 0) return; // Being hidden resets scrollTop; that is not the user scrolling.
    this.scrollTop = this.viewport.scrollTop;
    this.events.onScroll(this.scrollTop);
    this.events.requestRender();
  }

  private onKeyDown(event: KeyboardEvent): void {
    const rowsPerPage = Math.max(1, Math.floor(this.height / ROW_HEIGHT));
    if (this.events.onKey(event, { columns: this.columns, total: this.total, rowsPerPage })) {
      event.preventDefault(); // Space and arrows would scroll the viewport otherwise.
    }
  }

  private withCellIndex(event: MouseEvent, handler: (index: number) => void): void {
    const cell = (event.target as Element | null)?.closest<HTMLElement>('.gallery-cell');
    if (cell?.dataset.index !== undefined) {
      handler(Number(cell.dataset.index));
    }
  }
}
