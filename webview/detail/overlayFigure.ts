import { element, setText } from '../dom/element';
import { formatScore } from '../dom/format';
import { RED_BLUE } from './colormaps';
import { colourRange, paintColourBar, paintHeatmap } from './heatmapCanvas';

/** The LLR heatmap laid over the image, with an opacity slider. */
export class OverlayFigure {
  /** The overlay section (hidden in columns mode). */
  readonly root: HTMLElement;
  private readonly imageCanvas: HTMLCanvasElement;
  private readonly llrCanvas: HTMLCanvasElement;
  private readonly opacitySlider: HTMLInputElement;
  private readonly opacityLabel: HTMLSpanElement;
  private readonly legendLow: HTMLSpanElement;
  private readonly legendHigh: HTMLSpanElement;

  constructor(onOpacityInput: (opacity: number) => void) {
    this.imageCanvas = element('canvas', { className: 'overlay-image map-canvas', attributes: { 'aria-hidden': 'true' } });
    this.llrCanvas = element('canvas', { id: 'overlay-llr', className: 'overlay-llr map-canvas', attributes: { role: 'img', 'aria-label': 'LLR heatmap over the image' } });
    this.opacitySlider = element('input', {
      id: 'overlay-opacity',
      attributes: { type: 'range', min: '0', max: '100', step: '1', 'aria-label': 'Heatmap opacity' },
    });
    this.opacitySlider.addEventListener('input', () => onOpacityInput(Number(this.opacitySlider.value) / 100));
    this.opacityLabel = element('span', { id: 'overlay-opacity-value', className: 'slider-value' });
    this.legendLow = element('span', { className: 'legend-low' });
    this.legendHigh = element('span', { className: 'legend-high' });
    const bar = element('canvas', { className: 'legend-bar', attributes: { 'aria-hidden': 'true' } });
    paintColourBar(bar, RED_BLUE);
    this.root = element('div', { id: 'detail-overlay', className: 'detail-overlay' }, [
      element('div', { className: 'overlay-stack' }, [this.imageCanvas, this.llrCanvas]),
      element('div', { className: 'overlay-controls' }, [
        element('label', { text: 'LLR opacity', attributes: { for: 'overlay-opacity' } }),
        this.opacitySlider,
        this.opacityLabel,
      ]),
      element('div', { className: 'legend' }, [bar, element('div', { className: 'legend-labels' }, [this.legendLow, this.legendHigh])]),
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

  /** Paint the LLR layer. */
  showLlr(llr: Float32Array, width: number, height: number): void {
    const range = colourRange(llr, RED_BLUE);
    paintHeatmap(this.llrCanvas, llr, width, height, RED_BLUE, range);
    setText(this.legendLow, formatScore(range.low));
    setText(this.legendHigh, formatScore(range.high));
  }
}
