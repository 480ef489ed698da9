import type { GalleryFilter, GallerySort, RankingSettings } from '../../src/protocol/webview';
import type { ThresholdSetting } from '../../src/protocol/scanResults';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';
import { formatCount } from '../dom/format';
import { RankingControls } from './rankingControls';
import { ReasonFilterSelect } from './reasonFilter';
import { SelectionSummary, type SelectionActions } from './selectionSummary';
import { ThresholdControls } from './thresholdControls';

type ValueElement = HTMLElement & { value: string };

/** Typing pauses this long before the host is asked to search 100,000 names. */
const SEARCH_DELAY_MS = 150;

const FILTERS: readonly (readonly [GalleryFilter, string])[] = [
  ['all', 'All images'],
  ['outliers', 'Outliers'],
  ['inliers', 'Inliers'],
  ['errors', 'Errors'],
];

const SORTS: readonly (readonly [GallerySort, string])[] = [
  ['scoreDescending', 'Score, highest first'],
  ['scoreAscending', 'Score, lowest first'],
  ['name', 'Name'],
];

/** What each count badge filters the gallery to (a second click shows all images again). */
const BADGE_FILTERS: readonly (readonly [GalleryFilter, string, string])[] = [
  ['outliers', 'outliers', 'is-outlier'],
  ['inliers', 'inliers', 'is-inlier'],
  ['errors', 'errors', 'is-error'],
];

/**
 * The bar above every tab: scan title, counts at the threshold (each a filter), what the scan is
 * ranked by (outlier score or LLR, and the signals), the threshold controls, the gallery's filter,
 * reason filter, sort and search, and the selection.
 */
export class Toolbar {
  /** The toolbar element. */
  readonly root: HTMLElement;
  private readonly threshold: ThresholdControls;
  private readonly ranking: RankingControls;
  private readonly title = element('span', { id: 'scan-title', className: 'scan-title', text: 'Waiting for scan results…' });
  private readonly outlierCount = element('span', { id: 'count-outliers', className: 'count-value' });
  private readonly inlierCount = element('span', { id: 'count-inliers', className: 'count-value' });
  private readonly errorCount = element('span', { id: 'count-errors', className: 'count-value' });
  private readonly badges: readonly (readonly [GalleryFilter, HTMLElement])[];
  private readonly filter: ValueElement;
  private readonly reason: ReasonFilterSelect;
  private readonly selection: SelectionSummary;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: Store<AppState>,
    scheduler: FrameScheduler,
    setThresholdByUser: (threshold: ThresholdSetting) => void,
    selectionActions: SelectionActions,
    setRankingByUser: (ranking: RankingSettings) => void,
  ) {
    this.threshold = new ThresholdControls(store, setThresholdByUser);
    this.ranking = new RankingControls(store, setRankingByUser);
    this.selection = new SelectionSummary(store, selectionActions);
    const filter = selectOf('filter', 'Show', FILTERS, store.state.filter);
    this.filter = filter;
    const sort = selectOf('sort', 'Sort', SORTS, store.state.sort);
    const search = element('vscode-textfield', { id: 'search', attributes: { type: 'search', placeholder: 'Search by name', 'aria-label': 'Search by name' } });
    search.value = store.state.search;
    // A new list starts at its first item, at the top.
    const showList = (patch: Partial<AppState>): void => store.update({ ...patch, selectedIndex: 0, scrollTop: 0, detailPath: null });
    filter.addEventListener('change', () => {
      if (filter.value !== store.state.filter) showList({ filter: filter.value as GalleryFilter });
    });
    const values: Readonly<Record<string, HTMLElement>> = { outliers: this.outlierCount, inliers: this.inlierCount, errors: this.errorCount };
    this.badges = BADGE_FILTERS.map(([badgeFilter, noun, className]) => {
      const badge = count(values[badgeFilter], noun, className, badgeFilter);
      // The gallery shows what the badge counts; a second click shows every image again.
      badge.addEventListener('click', () => showList({ filter: store.state.filter === badgeFilter ? 'all' : badgeFilter, activeView: 'gallery' }));
      return [badgeFilter, badge] as const;
    });
    this.reason = new ReasonFilterSelect(store.state.reason, (reason) => {
      if (reason !== store.state.reason) showList({ reason });
    });
    sort.addEventListener('change', () => showList({ sort: sort.value as GallerySort }));
    search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => showList({ search: search.value }), SEARCH_DELAY_MS);
    });
    this.root = element('header', { id: 'toolbar', className: 'toolbar' }, [
      element('div', { className: 'toolbar-row' }, [
        this.title,
        element('div', { className: 'counts', attributes: { role: 'group', 'aria-label': 'Counts at the threshold; each shows those images' } }, this.badges.map(([, badge]) => badge)),
      ]),
      element('div', { className: 'toolbar-row' }, [this.ranking.root, this.threshold.root]),
      element('div', { className: 'toolbar-row' }, [filter, this.reason.root, sort, search, this.selection.root]),
    ]);
    store.subscribe((_state, changed) => {
      if (changed.has('threshold') || changed.has('scan') || changed.has('filter') || changed.has('reason') || changed.has('ranking')) scheduler.schedule('toolbar', () => this.render());
      if (changed.has('selection')) scheduler.schedule('selection', () => this.selection.render());
    });
    scheduler.schedule('selection', () => this.selection.render());
  }

  private render(): void {
    const { scan, threshold } = this.store.state;
    if (!scan || !threshold) return;
    const { snapshot, index } = scan;
    setText(this.title, `${snapshot.folderLabel} · ${snapshot.detectorName}`);
    const outliers = index.outlierCount(threshold.value);
    setText(this.outlierCount, formatCount(outliers));
    setText(this.inlierCount, formatCount(index.count - outliers));
    setText(this.errorCount, formatCount(snapshot.failedCount));
    const shown = this.store.state.filter;
    for (const [badgeFilter, badge] of this.badges) badge.setAttribute('aria-pressed', String(shown === badgeFilter));
    if (this.filter.value !== shown) this.filter.value = shown;
    this.reason.render(snapshot.reasonCounts ?? {}, this.store.state.reason);
    this.threshold.render();
    this.ranking.render();
  }
}

function count(value: HTMLElement, noun: string, className: string, filter: GalleryFilter): HTMLElement {
  return element('button', {
    id: `show-${filter}`,
    className: `count ${className}`,
    attributes: { type: 'button', 'aria-pressed': 'false', title: `Show only the ${noun} (click again to show all images)` },
  }, [value, ` ${noun}`]);
}

function selectOf(id: string, label: string, options: readonly (readonly [string, string])[], selected: string): ValueElement {
  const select = element('vscode-single-select', { id, attributes: { 'aria-label': label } }, options.map(([value, text]) =>
    element('vscode-option', { text, attributes: value === selected ? { value, selected: '' } : { value } }),
  ));
  return select;
}
