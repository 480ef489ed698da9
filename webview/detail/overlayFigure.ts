import { element, setText } from '../dom/element';
import { formatScore } from '../dom/format';
import { RED_BLUE } from './colormaps';
import { colourRange, paintColourBar, paintOverlay } from './heatmapCanvas';
import type { LegendEnds, MapScale } from './heatmapFigure';

/**
 * The outlier-score map laid over the image, with an opacity slider. A pixel's colour is as
 * opaque as its score is far from zero, so the image shows through unchanged where the two
 * models agree (a black background stays black).
 */
export class OverlayFigure {
  /** The overlay section (hidden in columns mode). */
  readonly root: HTMLElement;
  private readonly imageCanvas: HTMLCanvasElement;
  private readonly llrCanvas: HTMLCanvasElement;
  private readonly opacitySlider: HTMLInputElement;
  private readonly opacityLabel: HTMLSpanElement;
  private readonly legendLow: HTMLSpanElement;
  private readonly legendHigh: HTMLSpanElement;
  private readonly scaleNote: HTMLSpanElement;

  constructor(onOpacityInput: (opacity: number) => void, ends: LegendEnds) {
    this.imageCanvas = element('canvas', { className: 'overlay-image map-canvas', attributes: { 'aria-hidden': 'true' } });
    this.llrCanvas = element('canvas', { id: 'overlay-llr', className: 'overlay-llr map-canvas', attributes: { role: 'img', 'aria-label': 'Outlier score per pixel over the image' } });
    this.opacitySlider = element('input', {
      id: 'overlay-opacity',
      attributes: { type: 'range', min: '0', max: '100', step: '1', 'aria-label': 'Heatmap opacity' },
    });
    this.opacitySlider.addEventListener('input', () => onOpacityInput(Number(this.opacitySlider.value) / 100));
    this.opacityLabel = element('span', { id: 'overlay-opacity-value', className: 'slider-value' });
    this.legendLow = element('span', { className: 'legend-low' });
    this.legendHigh = element('span', { className: 'legend-high' });
    this.scaleNote = element('span', { className: 'legend-scale' });
    const bar = element('canvas', { className: 'legend-bar', attributes: { 'aria-hidden': 'true' } });
    paintColourBar(bar, RED_BLUE);
    this.root = element('div', { id: 'detail-overlay', className: 'detail-overlay' }, [
      element('div', { className: 'overlay-stack' }, [this.imageCanvas, this.llrCanvas]),
      element('div', { className: 'overlay-controls' }, [
        element('label', { text: 'Heatmap opacity', attributes: { for: 'overlay-opacity' } }),
        this.opacitySlider,
        this.opacityLabel,
      ]),
      element('div', { className: 'legend' }, [
        bar,
        element('div', { className: 'legend-labels' }, [this.legendLow, this.legendHigh]),
        element('div', { className: 'legend-ends' }, [
          element('span', { className: 'legend-end-low', text: `◀ ${ends.low}` }),
          element('span', { className: 'legend-end-high', text: `${ends.high} ▶` }),
        ]),
        this.scaleNote,
      ]),
    ]);
  }

  /** Opacity of the heatmap layer, 0–1 (set through CSSOM, which the CSP allows). */
  setOpacity(opacity: number): void {
    this.llrCanvas.style.opacity = String(opacity);
    const percent = String(Math.round(opacity * 100));
    if (this.opacitySlider.value !== percent) this.opacitySlider.value = percent;
    setText(this.opacityLabel, `${percent}%`);
  }

  /** Paint the image layer. */
  showImage(image: HTMLImageElement): void {
    this.imageCanvas.width = image.naturalWidth;
    this.imageCanvas.height = image.naturalHeight;
    const context = this.imageCanvas.getContext('2d');
    if (!context) return;
    context.imageSmoothingEnabled = false;
    context.drawImage(image, 0, 0);
  }

  /** Paint the outlier-score layer on `scale` (the map's own range when none is given). */
  showLlr(llr: Float32Array, width: number, height: number, scale: MapScale | null): void {
    const range = scale ? scale.range : colourRange(llr, RED_BLUE);
    paintOverlay(this.llrCanvas, llr, width, height, RED_BLUE, range);
    setText(this.legendLow, formatScore(range.low));
    setText(this.legendHigh, formatScore(range.high));
    setText(this.scaleNote, scale ? scale.note : 'Scale: this image’s own range');
  }
}
