import type { GalleryItem } from '../../src/protocol/webview';
import { reasonBadges, reasonText } from './reasonBadges';
import { element, setText } from '../dom/element';
import { formatScore } from '../dom/format';
import { isAboveThreshold } from '../scores/scoreIndex';

/** How to open and select, on every cell's tooltip. */
export const OPEN_HINT = 'Double-click or Enter: details · Ctrl/Cmd-click or Space: add to the selection';

/** What a cell needs to know besides its item. */
export interface CellContext {
  readonly threshold: number;
  readonly selectedIndex: number;
  readonly selection: ReadonlySet<string>;
  /** Badge colour bucket of a score. */
  readonly bucketOf: (score: number) => number;
}

/**
 * One recycled grid cell. The grid moves cells instead of creating them, and a cell rewrites
 * its content only when its item changes; class toggles (outlier, current, in the selection) are cheap.
 */
export class GalleryCell {
  /** The cell's root element, absolutely positioned in the grid. */
  readonly root: HTMLDivElement;
  private readonly thumbnail: HTMLImageElement;
  private readonly badge: HTMLSpanElement;
  private readonly name: HTMLSpanElement;
  private readonly failedReason: HTMLSpanElement;
  private readonly reasons: HTMLSpanElement;
  private item: GalleryItem | undefined | null = null;
  private index = -1;
  private bucketClass = '';

  constructor() {
    this.thumbnail = element('img', { className: 'cell-thumbnail', attributes: { alt: '', draggable: 'false', decoding: 'async' } });
    this.badge = element('span', { className: 'cell-score' });
    this.name = element('span', { className: 'cell-name' });
    this.failedReason = element('span', { className: 'cell-failed-reason' });
    this.reasons = element('span', { className: 'cell-reasons' });
    const outlierFlag = element('span', { className: 'cell-outlier-flag codicon codicon-warning', attributes: { title: 'Outlier: score above the threshold' } });
    const selectionFlag = element('span', { className: 'cell-selection-flag codicon codicon-check', attributes: { title: 'In the selection' } });
    this.root = element('div', { className: 'gallery-cell', attributes: { role: 'option', 'aria-selected': 'false' } }, [
      element('div', { className: 'cell-frame' }, [this.thumbnail, this.failedReason, this.badge, outlierFlag, selectionFlag, this.reasons]),
      this.name,
    ]);
  }

  /** Move the cell to grid coordinates (CSSOM writes are allowed under the webview's CSP). */
  place(x: number, y: number): void {
    this.root.style.transform = `translate(${x}px, ${y}px)`;
  }

  /** Show `item` (undefined = still loading) at list position `index`. */
  show(item: GalleryItem | undefined, index: number, context: CellContext): void {
    if (this.root.hidden) this.root.hidden = false;
    if (index !== this.index) {
      this.index = index;
      this.root.id = `gallery-item-${index}`;
      this.root.dataset.index = String(index);
    }
    if (item !== this.item) {
      this.item = item;
      this.renderItem(item, context);
    }
    const isScored = item?.kind === 'scored';
    this.toggle('is-outlier', isScored && isAboveThreshold(item.score, context.threshold));
    this.toggle('is-selected', index === context.selectedIndex);
    const inSelection = item !== undefined && context.selection.has(item.relativePath);
    if (this.toggle('is-in-selection', inSelection)) this.root.setAttribute('aria-selected', String(inSelection));
  }

  /** Take the cell out of view and forget its item (it goes back to the pool). */
  hide(): void {
    this.root.hidden = true;
    this.item = null;
    this.index = -1;
  }

  private renderItem(item: GalleryItem | undefined, context: CellContext): void {
    this.reasons.replaceChildren(...(item?.kind === 'scored' ? reasonBadges(item.reasons) : []));
    this.toggle('is-loading', item === undefined);
    this.toggle('is-failed', item?.kind === 'failed');
    if (!item) {
      setText(this.name, '…');
      setText(this.badge, '');
      this.thumbnail.removeAttribute('src');
      this.root.removeAttribute('title');
      delete this.root.dataset.relativePath;
      return;
    }
    setText(this.name, item.relativePath);
    this.root.dataset.relativePath = item.relativePath;
    // VS Code shows the host's `webview/context` menu items for this section on right-click.
    this.root.dataset.vscodeContext = JSON.stringify({ webviewSection: 'outlierLens.image', relativePath: item.relativePath });
    if (item.kind === 'failed') {
      this.thumbnail.removeAttribute('src');
      setText(this.failedReason, item.reason);
      setText(this.badge, 'error');
      this.setBucket('');
      this.root.title = `${item.relativePath}\n${item.reason}`;
      return;
    }
    setText(this.failedReason, '');
    this.thumbnail.src = item.imageUri;
    setText(this.badge, formatScore(item.score));
    this.setBucket(`score-bucket-${context.bucketOf(item.score)}`);
    this.root.title = `${item.relativePath}\nscore ${formatScore(item.score)} · rank ${item.rank}${item.reasons?.length ? `\n${reasonText(item.reasons)}` : ''}\n${OPEN_HINT}`;
  }

  private setBucket(bucketClass: string): void {
    if (bucketClass === this.bucketClass) return;
    if (this.bucketClass) this.badge.classList.remove(this.bucketClass);
    if (bucketClass) this.badge.classList.add(bucketClass);
    this.bucketClass = bucketClass;
  }

  /** Returns whether the class changed. */
  private toggle(className: string, on: boolean): boolean {
    if (this.root.classList.contains(className) === on) return false;
    this.root.classList.toggle(className, on);
    return true;
  }
}
