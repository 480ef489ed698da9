import type { ActionState, GalleryFilter, GallerySort, RankingSettings, ReasonFilter, ScanStopped } from '../../src/protocol/webview';
import type { ThresholdSetting } from '../../src/protocol/scanResults';
import type { ScanModel } from './scanModel';

/** The panel's top-level views. */
export type ActiveView = 'gallery' | 'duplicates' | 'scores' | 'training';

/** How the detail view shows the maps: the paper's four columns, or the LLR over the image. */
export type DetailMode = 'columns' | 'overlay';

/** Colour scale of the heatmaps: one shared by every image of the scan, or each image's own range. */
export type HeatmapScale = 'shared' | 'image';

/** The histogram's count axis: log or linear, or `auto` (log when the flagged tail holds under 5 % of the images). */
export type HistogramCounts = 'auto' | 'log' | 'linear';

/** What the user set up in the panel; all of it survives a reload through `setState`. */
export interface UiState {
  readonly activeView: ActiveView;
  /** The image whose detail view is open over the gallery, if any. */
  readonly detailPath: string | null;
  readonly filter: GalleryFilter;
  readonly sort: GallerySort;
  readonly search: string;
  /** Only images with this reason (`any`: with at least one); empty = every image. */
  readonly reason: ReasonFilter | '';
  /** Null until the first snapshot brings the host's threshold. */
  readonly threshold: ThresholdSetting | null;
  /** What the scan is ranked by (outlier score of the signals switched on, each at its cut, or the LLR); null until a snapshot says. */
  readonly ranking: RankingSettings | null;
  readonly scrollTop: number;
  /** Index of the current item (the keyboard's cursor, ringed) in the current gallery list. */
  readonly selectedIndex: number;
  /** The images the user selected (click, Ctrl/Cmd-click, Shift-click, Space): what actions on "the selected images" apply to. */
  readonly selection: readonly string[];
  readonly detailMode: DetailMode;
  /** Opacity of the outlier-score heatmap over the image in overlay mode, 0–1. */
  readonly overlayOpacity: number;
  readonly heatmapScale: HeatmapScale;
  readonly histogramCounts: HistogramCounts;
}

/** The whole state of the panel: the user's settings plus the scan they look at. */
export interface AppState extends UiState {
  readonly scan: ScanModel | null;
  /** Why the scan shown stopped early (failed or cancelled), until it runs again; the host re-sends it after a reload. */
  readonly stopped: ScanStopped | null;
  /** The host's actions on the selection: what runs, what Undo would undo, the last result; null until the host says. */
  readonly actions: ActionState | null;
}

/** The state of a fresh panel. */
export const DEFAULT_UI_STATE: UiState = {
  activeView: 'gallery',
  detailPath: null,
  filter: 'all',
  sort: 'scoreDescending',
  search: '',
  reason: '',
  threshold: null,
  ranking: null,
  scrollTop: 0,
  selectedIndex: 0,
  selection: [],
  detailMode: 'columns',
  overlayOpacity: 0.6,
  heatmapScale: 'shared',
  histogramCounts: 'auto',
};
