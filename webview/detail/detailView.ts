import type { PixelMapsReply, ScoredGalleryItem } from '../../src/protocol/webview';
import type { AppState } from '../app/appState';
import type { FrameScheduler } from '../app/frameScheduler';
import type { Store } from '../app/store';
import { element, setText } from '../dom/element';
import type { HostChannel } from '../messaging/hostChannel';
import { RED_BLUE, VIRIDIS } from './colormaps';
import { DetailFacts } from './detailFacts';
import { HeatmapFigure } from './heatmapFigure';
import { OverlayFigure } from './overlayFigure';

/** What the detail view needs from the gallery to step through the list. */
export interface DetailNavigation {
  readonly total: number;
  itemAt(index: number): ScoredGalleryItem | undefined;
  select(index: number): void;
  showAgain(): void;
}

/** Pixel maps kept for quick back-and-forth between neighbours. */
const MAPS_CACHE_SIZE = 16;

/**
 * One image in depth: the paper's four columns (image, log p semantic, log p background, LLR)
 * or the LLR over the image, with its score, rank and percentile.
 */
export class DetailView {
  /** The section element (hidden while the gallery shows). */
  readonly root: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly status: HTMLParagraphElement;
  private readonly facts = new DetailFacts();
  private readonly figures = {
    image: new HeatmapFigure('image', 'Image', undefined),
    semantic: new HeatmapFigure('semantic', 'log p semantic', VIRIDIS),
    background: new HeatmapFigure('background', 'log p background', VIRIDIS),
    llr: new HeatmapFigure('llr', 'LLR per pixel', RED_BLUE),
  };
  private readonly columns: HTMLElement;
  private readonly overlay: OverlayFigure;
  private readonly modeButtons: Record<'columns' | 'overlay', HTMLElement>;
  private readonly mapsCache = new Map<string, PixelMapsReply>();
  private item: ScoredGalleryItem | undefined;
  private shownPath: string | null = null;
  private focusWhenShown = false;

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
    this.columns = element('div', { id: 'detail-columns', className: 'detail-figure' }, Object.values(this.figures).map((figure) => figure.root));
    this.overlay = new OverlayFigure((overlayOpacity) => store.update({ overlayOpacity }));
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
      element('div', { className: 'detail-modes', attributes: { role: 'group', 'aria-label': 'Heatmap layout' } }, [this.modeButtons.columns, this.modeButtons.overlay]),
      this.status,
      this.columns,
      this.overlay.root,
    ]);
    this.root.hidden = true;
    this.root.addEventListener('keydown', (event) => this.onKeyDown(event));
    store.subscribe((_state, changed) => {
      if (changed.has('scan')) this.mapsCache.clear(); // Maps of another result set.
      if (['detailPath', 'detailMode', 'overlayOpacity', 'threshold', 'scan'].some((key) => changed.has(key as keyof AppState))) {
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

  /** Back to the gallery, where the selection stays on this image. */
  close(): void {
    this.store.update({ detailPath: null });
    this.navigation.showAgain();
    document.getElementById('gallery')?.focus();
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
    if (path === null || !state.scan) {
      this.shownPath = null;
      return;
    }
    if (path !== this.shownPath) {
      this.shownPath = path;
      this.load(path);
    }
    if (this.item?.relativePath === path && state.threshold) {
      this.facts.show(this.item, state.scan.index, state.threshold.value);
    }
    this.columns.hidden = state.detailMode !== 'columns';
    this.overlay.root.hidden = state.detailMode !== 'overlay';
    for (const [mode, node] of Object.entries(this.modeButtons)) {
      node.toggleAttribute('secondary', mode !== state.detailMode);
      node.setAttribute('aria-pressed', String(mode === state.detailMode));
    }
    this.overlay.setOpacity(state.overlayOpacity);
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
    const { maps } = reply;
    if (this.item?.relativePath !== reply.item.relativePath) {
      this.item = reply.item;
      this.drawImage(reply.item);
    }
    setText(this.status, '');
    this.figures.semantic.showMap(maps.semanticLogProb, maps.width, maps.height);
    this.figures.background.showMap(maps.backgroundLogProb, maps.width, maps.height);
    this.figures.llr.showMap(maps.llr, maps.width, maps.height);
    this.overlay.showLlr(maps.llr, maps.width, maps.height);
    this.scheduler.schedule('detail', () => this.render());
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
