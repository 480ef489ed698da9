import type { PixelMapsReply, ScoredGalleryItem } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';
import type { HostChannel } from '../messaging/hostChannel';
import { RED_BLUE, VIRIDIS } from './colormaps';
import { DetailFacts } from './detailFacts';
import { HeatmapFigure, type LegendEnds, type MapScale } from './heatmapFigure';
import { OverlayFigure } from './overlayFigure';
import { SharedScale, type SharedRanges } from './sharedScale';

/** What the detail view needs from the gallery to step through the list. */
export interface DetailNavigation {
  readonly total: number;
  itemAt(index: number): ScoredGalleryItem | undefined;
  select(index: number): void;
  showAgain(): void;
}

/** Pixel maps kept for quick back-and-forth between neighbours. */
const MAPS_CACHE_SIZE = 16;

/** What each end of a colour bar means: which end is "more outlying". */
const LIKELIHOOD_ENDS: LegendEnds = { low: 'less likely', high: 'more likely' };
const SCORE_ENDS: LegendEnds = { low: 'like the training data', high: 'more outlying' };

/**
 * One image in depth: the paper's four columns (image, log p semantic, log p background, outlier
 * score = −LLR per pixel) or the score over the image, with its score, rank and percentile. The
 * maps share one colour scale across the scan's images unless the user picks each image's own.
 */
export class DetailView {
  /** The section element (hidden while the gallery shows). */
  readonly root: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly status: HTMLParagraphElement;
  private readonly facts = new DetailFacts();
  private readonly figures = {
    image: new HeatmapFigure('image', 'Image', undefined),
    semantic: new HeatmapFigure('semantic', 'log p semantic (per pixel)', VIRIDIS, LIKELIHOOD_ENDS),
    background: new HeatmapFigure('background', 'log p background (per pixel)', VIRIDIS, LIKELIHOOD_ENDS),
    llr: new HeatmapFigure('llr', 'Outlier score per pixel (−LLR)', RED_BLUE, SCORE_ENDS),
  };
  private readonly sharedScale: SharedScale;
  private sharedRanges: { readonly scanId: string; readonly ranges: SharedRanges | null } | null = null;
  private shownMaps: PixelMapsReply | null = null;
  private paintedWith: string | null = null;
  private readonly columns: HTMLElement;
  private readonly overlay: OverlayFigure;
  private readonly modeButtons: Record<'columns' | 'overlay', HTMLElement>;
  private readonly scaleButtons: Record<'shared' | 'image', HTMLElement>;
  private readonly mapsCache = new Map<string, PixelMapsReply>();
  private item: ScoredGalleryItem | undefined;
  private shownPath: string | null = null;
  private focusWhenShown = false;
  private focusGalleryWhenHidden = false;

  constructor(
    private readonly store: Store<AppState>,
    private readonly channel: HostChannel,
    private readonly scheduler: FrameScheduler,
    private readonly navigation: DetailNavigation,
  ) {
    this.title = element('h2', { id: 'detail-title', className: 'detail-title' });
    this.status = element('p', { id: 'detail-status', className: 'detail-status', attributes: { role: 'status' } });
    const button = (id: string, label: string, onClick: () => void): HTMLElement => {
      const node = element('vscode-button', { id, text: label, attributes: { secondary: '' } });
      node.addEventListener('click', onClick);
      return node;
    };
    this.modeButtons = {
      columns: button('detail-mode-columns', 'Side by side', () => store.update({ detailMode: 'columns' })),
      overlay: button('detail-mode-overlay', 'Overlay', () => store.update({ detailMode: 'overlay' })),
    };
    this.scaleButtons = {
      shared: button('heatmap-scale-shared', 'Shared scale', () => store.update({ heatmapScale: 'shared' })),
      image: button('heatmap-scale-image', 'Per-image scale', () => store.update({ heatmapScale: 'image' })),
    };
    this.sharedScale = new SharedScale(channel);
    this.columns = element('div', { id: 'detail-columns', className: 'detail-figure' }, Object.values(this.figures).map((figure) => figure.root));
    this.overlay = new OverlayFigure((overlayOpacity) => store.update({ overlayOpacity }), SCORE_ENDS);
    this.root = element('section', { id: 'detail', className: 'detail-view', attributes: { tabindex: '-1', 'aria-label': 'Image detail' } }, [
      element('div', { className: 'detail-toolbar' }, [
        button('detail-back', 'Back to gallery', () => this.close()),
        button('detail-previous', 'Previous', () => this.step(-1)),
        button('detail-next', 'Next', () => this.step(1)),
        this.title,
        button('detail-open', 'Open image', () => this.post('openImage')),
        button('detail-reveal', 'Reveal in Explorer', () => this.post('revealInExplorer')),
      ]),
      this.facts.root,
      element('div', { className: 'detail-modes' }, [
        element('div', { className: 'button-group', attributes: { role: 'group', 'aria-label': 'Heatmap layout' } }, [this.modeButtons.columns, this.modeButtons.overlay]),
        element('div', { className: 'button-group', attributes: { role: 'group', 'aria-label': 'Heatmap colour scale' } }, [this.scaleButtons.shared, this.scaleButtons.image]),
      ]),
      this.status,
      this.columns,
      this.overlay.root,
    ]);
    this.root.hidden = true;
    this.root.addEventListener('keydown', (event) => this.onKeyDown(event));
    store.subscribe((_state, changed) => {
      if (changed.has('scan')) this.mapsCache.clear(); // Maps of another result set.
      if (['detailPath', 'detailMode', 'overlayOpacity', 'heatmapScale', 'threshold', 'scan'].some((key) => changed.has(key as keyof AppState))) {
        scheduler.schedule('detail', () => this.render());
      }
    });
    scheduler.schedule('detail', () => this.render());
  }

  /** Open the detail of `item`, known from the gallery (position `index` in its list). */
  open(item: ScoredGalleryItem, index: number): void {
    this.item = item;
    this.focusWhenShown = true; // The section is hidden until the next frame, and hidden elements cannot take focus.
    this.store.update({ detailPath: item.relativePath, selectedIndex: index });
  }

  /** Back to the gallery, where the current item stays on this image and the keyboard goes on from it. */
  close(): void {
    // The gallery is hidden until the next frame, and hidden elements cannot take focus.
    this.focusGalleryWhenHidden = true;
    this.store.update({ detailPath: null });
    this.navigation.showAgain();
  }

  private render(): void {
    const state = this.store.state;
    const path = state.detailPath;
    this.root.hidden = path === null;
    this.root.parentElement?.classList.toggle('is-showing-detail', path !== null);
    if (path !== null && this.focusWhenShown) {
      this.focusWhenShown = false;
      this.root.focus();
    }
    if (path === null && this.focusGalleryWhenHidden) {
      this.focusGalleryWhenHidden = false;
      document.getElementById('gallery')?.focus({ preventScroll: true });
    }
    if (path === null || !state.scan) {
      this.shownPath = null;
      return;
    }
    if (path !== this.shownPath) {
      this.shownPath = path;
      this.load(path);
    }
    if (this.item?.relativePath === path && state.threshold) {
      this.facts.show(this.item, state.scan.index, state.threshold.value, state.scan.snapshot.ranking);
    }
    this.columns.hidden = state.detailMode !== 'columns';
    this.overlay.root.hidden = state.detailMode !== 'overlay';
    for (const [mode, node] of Object.entries(this.modeButtons)) {
      node.toggleAttribute('secondary', mode !== state.detailMode);
      node.setAttribute('aria-pressed', String(mode === state.detailMode));
    }
    const scale = state.heatmapScale === 'image' ? 'image' : 'shared';
    for (const [choice, node] of Object.entries(this.scaleButtons)) {
      node.toggleAttribute('secondary', choice !== scale);
      node.setAttribute('aria-pressed', String(choice === scale));
    }
    this.overlay.setOpacity(state.overlayOpacity);
    this.paintMaps();
  }

  private load(path: string): void {
    setText(this.title, path);
    for (const figure of Object.values(this.figures)) figure.clear();
    if (this.item?.relativePath === path) this.drawImage(this.item);
    const cached = this.mapsCache.get(path);
    if (cached) {
      this.showMaps(cached);
      return;
    }
    setText(this.status, 'Computing per-pixel scores…');
    this.channel.request({ type: 'requestPixelMaps', relativePath: path }).then(
      (reply) => {
        this.mapsCache.set(path, reply);
        if (this.mapsCache.size > MAPS_CACHE_SIZE) this.mapsCache.delete(this.mapsCache.keys().next().value ?? '');
        if (this.store.state.detailPath === path) this.showMaps(reply);
      },
      (error: Error) => {
        if (this.store.state.detailPath === path) setText(this.status, `Could not compute the per-pixel scores: ${error.message}`);
      },
    );
  }

  private showMaps(reply: PixelMapsReply): void {
    if (this.item?.relativePath !== reply.item.relativePath) {
      this.item = reply.item;
      this.drawImage(reply.item);
    }
    setText(this.status, '');
    this.shownMaps = reply;
    this.paintedWith = null;
    this.scheduler.schedule('detail', () => this.render());
  }

  /** Paint the shown maps on the chosen scale, once per maps and scale; the shared one is measured on first use. */
  private paintMaps(): void {
    const reply = this.shownMaps;
    const scan = this.store.state.scan;
    if (!reply || !scan || reply.item.relativePath !== this.store.state.detailPath) return;
    const wantsShared = this.store.state.heatmapScale !== 'image';
    const shared = this.sharedRanges?.scanId === scan.snapshot.scanId ? this.sharedRanges.ranges : undefined;
    if (wantsShared && shared === undefined) {
      void this.sharedScale.rangesFor(scan).then((ranges) => {
        this.sharedRanges = { scanId: scan.snapshot.scanId, ranges };
        this.scheduler.schedule('detail', () => this.render());
      });
    }
    const ranges = wantsShared ? shared ?? null : null;
    const key = `${reply.item.relativePath}|${ranges ? 'shared' : 'image'}`;
    if (key === this.paintedWith) return;
    this.paintedWith = key;
    const note = ranges ? `Scale: shared, 1st–99th percentile of ${ranges.imageCount} ${ranges.source}` : null;
    const scaleOf = (range: SharedRanges['llr'] | undefined): MapScale | null => (ranges && range && note ? { range, note } : null);
    const { maps } = reply;
    this.figures.semantic.showMap(maps.semanticLogProb, maps.width, maps.height, scaleOf(ranges?.semantic));
    this.figures.background.showMap(maps.backgroundLogProb, maps.width, maps.height, scaleOf(ranges?.background));
    this.figures.llr.showMap(maps.llr, maps.width, maps.height, scaleOf(ranges?.llr));
    this.overlay.showLlr(maps.llr, maps.width, maps.height, scaleOf(ranges?.llr));
    if (wantsShared && !ranges) setText(this.status, shared === null ? 'No shared scale could be measured: each map uses its own range.' : 'Measuring the shared colour scale on images of this scan…');
    else setText(this.status, '');
  }

  private drawImage(item: ScoredGalleryItem): void {
    const image = new Image();
    image.src = item.imageUri;
    image.decode().then(
      () => {
        if (this.store.state.detailPath !== item.relativePath) return;
        this.figures.image.showImage(image);
        this.overlay.showImage(image);
      },
      () => setText(this.status, 'The image could not be shown.'),
    );
  }

  private step(delta: number): void {
    const index = this.store.state.selectedIndex + delta;
    if (index < 0 || index >= this.navigation.total) return;
    const item = this.navigation.itemAt(index);
    if (!item) return; // A failed file or a page still loading: nothing to detail.
    this.navigation.select(index);
    this.item = item;
    this.store.update({ detailPath: item.relativePath });
  }

  private post(type: 'openImage' | 'revealInExplorer'): void {
    const relativePath = this.store.state.detailPath;
    if (relativePath) this.channel.post({ type, relativePath });
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.target instanceof HTMLInputElement) return; // The opacity slider uses arrows itself.
    if (event.key === 'Enter' && event.target !== this.root) return; // A focused button handles its own Enter.
    const actions: Record<string, (() => void) | undefined> = {
      Escape: () => this.close(),
      ArrowLeft: () => this.step(-1),
      ArrowRight: () => this.step(1),
      Enter: () => this.post('openImage'),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }
}
