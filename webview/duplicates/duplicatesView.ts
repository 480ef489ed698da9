import type { DuplicateGroup } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';
import { formatCount } from '../dom/format';
import type { HostChannel } from '../messaging/hostChannel';
import { DuplicateGroupCache } from './duplicateGroupCache';
import { DuplicateRow, type RowContext } from './duplicateRow';

/** Row pitch in CSS pixels (the CSS sizes `.duplicate-row` to fit). */
export const DUPLICATE_ROW_HEIGHT = 176;
/** Rows rendered above and below the viewport. */
const OVERSCAN_ROWS = 2;

/** What the view does with the selection (the gallery owns it and tells the host). */
export interface DuplicateActions {
  readonly setSelection: (paths: readonly string[]) => void;
}

/**
 * The duplicates view: exact and near-duplicate groups over the whole folder, a row each with its
 * thumbnails side by side. "Keep one" selects the other images of a group (for the selection's
 * actions), "Keep one of each" does so for every group, "Reveal" shows the kept image in the
 * Explorer. Rows are virtualised and groups fetched by page, so thousands of groups stay fluid.
 */
export class DuplicatesView {
  /** The view's element, for its tab. */
  readonly root: HTMLElement;
  private readonly viewport: HTMLDivElement;
  private readonly sizer = element('div', { className: 'duplicates-sizer' });
  private readonly summary = element('span', { id: 'duplicates-summary', className: 'duplicates-summary', attributes: { role: 'status' } });
  private readonly cache: DuplicateGroupCache;
  private readonly rows = new Map<number, DuplicateRow>();
  private readonly spare: DuplicateRow[] = [];
  /** The image kept per group, by the group's first path, once the user chose another than the first. */
  private readonly keepers = new Map<string, string>();
  private height = 0;

  constructor(
    private readonly store: Store<AppState>,
    private readonly channel: HostChannel,
    scheduler: FrameScheduler,
    private readonly actions: DuplicateActions,
  ) {
    this.cache = new DuplicateGroupCache((offset, limit) => channel.request({ type: 'requestDuplicateGroups', offset, limit }));
    const render = (): void => scheduler.schedule('duplicates', () => this.render());
    this.cache.onPageLoaded(render);
    const keepAll = element('vscode-button', { id: 'duplicates-keep-all', text: 'Keep one of each', attributes: { title: 'Select every image of every group but the one to keep (the ringed one, the first by default)' } });
    keepAll.addEventListener('click', () => void this.keepOneOfEach());
    this.viewport = element('div', { id: 'duplicates', className: 'duplicates-viewport', attributes: { tabindex: '0', role: 'list', 'aria-label': 'Duplicate groups' } }, [this.sizer]);
    this.root = element('div', { className: 'duplicates-panel' }, [element('div', { className: 'duplicates-bar' }, [this.summary, keepAll]), this.viewport]);
    this.viewport.addEventListener('scroll', render, { passive: true });
    this.viewport.addEventListener('click', (event) => this.onClick(event));
    this.viewport.addEventListener('dblclick', (event) => {
      const path = (event.target as HTMLElement).closest<HTMLElement>('[data-path]')?.dataset.path;
      if (path) channel.post({ type: 'openImage', relativePath: path });
    });
    new ResizeObserver((entries) => {
      this.height = entries[entries.length - 1].contentRect.height;
      render();
    }).observe(this.viewport);
    store.subscribe((state, changed) => {
      if (changed.has('scan') && state.scan) this.cache.reset(state.scan.snapshot.revision);
      if (state.activeView === 'duplicates' && (changed.has('scan') || changed.has('selection') || changed.has('activeView'))) render();
    });
  }

  private get total(): number {
    return this.store.state.scan?.snapshot.duplicateGroupCount ?? 0;
  }

  private keeperOf = (group: DuplicateGroup): string => {
    const first = group.items[0]?.relativePath ?? '';
    const chosen = this.keepers.get(first);
    return chosen && group.items.some((item) => item.relativePath === chosen) ? chosen : first;
  };

  private render(): void {
    const scan = this.store.state.scan;
    if (!scan || this.store.state.activeView !== 'duplicates') return;
    const total = this.total;
    const images = scan.snapshot.reasonCounts;
    const grouped = (images?.['exact-duplicate'] ?? 0) + (images?.['near-duplicate'] ?? 0);
    setText(this.summary, scan.snapshot.folderReasonsSkipped
      ? 'This folder is too large to judge duplicates in the editor: the CLI (outlier-lens scan) exports its duplicate groups.'
      : total === 0
      ? scan.snapshot.complete ? 'No duplicates: no two images have the same pixels or nearly the same look.' : 'No duplicates yet: groups are judged over the whole folder as results arrive.'
      : `${formatCount(total)} groups · ${formatCount(grouped)} images · click a thumbnail to choose the one to keep, double-click to open it`);
    this.viewport.classList.toggle('is-empty', total === 0);
    this.sizer.style.height = `${total * DUPLICATE_ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / DUPLICATE_ROW_HEIGHT) - OVERSCAN_ROWS);
    const last = Math.min(total - 1, Math.ceil((this.viewport.scrollTop + this.height) / DUPLICATE_ROW_HEIGHT) + OVERSCAN_ROWS);
    for (const [index, row] of this.rows) {
      if (index < first || index > last) {
        row.hide();
        this.rows.delete(index);
        this.spare.push(row);
      }
    }
    const context: RowContext = { keeperOf: this.keeperOf, selection: new Set(this.store.state.selection) };
    for (let index = first; index <= last; index++) {
      let row = this.rows.get(index);
      if (!row) {
        row = this.spare.pop() ?? this.newRow();
        row.place(index * DUPLICATE_ROW_HEIGHT);
        this.rows.set(index, row);
      }
      row.show(this.cache.groupAt(index), index, context);
    }
  }

  private newRow(): DuplicateRow {
    const row = new DuplicateRow();
    this.viewport.append(row.root);
    return row;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const action = target.closest<HTMLElement>('[data-action]');
    const group = this.cache.groupAt(Number((action ?? target.closest<HTMLElement>('[data-group]'))?.dataset.group));
    if (!group) return;
    if (action?.dataset.action === 'keep') {
      const keeper = this.keeperOf(group);
      this.actions.setSelection(group.items.map((item) => item.relativePath).filter((path) => path !== keeper));
    } else if (action?.dataset.action === 'reveal') {
      this.channel.post({ type: 'revealInExplorer', relativePath: this.keeperOf(group) });
    } else {
      const path = target.closest<HTMLElement>('[data-path]')?.dataset.path;
      if (!path) return;
      this.keepers.set(group.items[0].relativePath, path);
      this.rows.forEach((row, index) => row.show(this.cache.groupAt(index), index, { keeperOf: this.keeperOf, selection: new Set(this.store.state.selection) }));
    }
  }

  private async keepOneOfEach(): Promise<void> {
    const groups = await this.cache.all();
    this.actions.setSelection(groups.flatMap((group) => {
      const keeper = this.keeperOf(group);
      return group.items.map((item) => item.relativePath).filter((path) => path !== keeper);
    }));
  }
}
