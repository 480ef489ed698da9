import { element, setText } from '../dom/element';
import { formatScore } from '../dom/format';
import type { Colormap } from './colormaps';
import type { ValueRange } from './heatmapCanvas';
import { colourRange, finiteExtent, paintColourBar, paintHeatmap } from './heatmapCanvas';

/** What the two ends of a map's colour bar mean, in words. */
export interface LegendEnds {
  readonly low: string;
  readonly high: string;
}

/** The colour range a map is painted with, and a line saying where it comes from. */
export interface MapScale {
  readonly range: ValueRange;
  readonly note: string;
}

/** One column of the four-column figure: a title, a canvas and its legend. */
export class HeatmapFigure {
  /** The figure element. */
  readonly root: HTMLElement;
  /** The canvas the map (or image) is painted on. */
  readonly canvas: HTMLCanvasElement;
  private readonly legendLow: HTMLSpanElement;
  private readonly legendHigh: HTMLSpanElement;
  private readonly dataExtent: HTMLSpanElement;
  private readonly scaleNote: HTMLSpanElement;

  constructor(
    /** `image`, `semantic`, `background` or `llr`: tests and CSS find the column by it. */
    readonly mapName: string,
    title: string,
    private readonly colormap: Colormap | undefined,
    ends?: LegendEnds,
  ) {
    this.canvas = element('canvas', { className: 'map-canvas', attributes: { role: 'img', 'aria-label': title } });
    this.legendLow = element('span', { className: 'legend-low' });
    this.legendHigh = element('span', { className: 'legend-high' });
    this.dataExtent = element('span', { className: 'legend-extent' });
    this.scaleNote = element('span', { className: 'legend-scale' });
    const legendChildren: Node[] = [];
    if (colormap) {
      const bar = element('canvas', { className: 'legend-bar', attributes: { 'aria-hidden': 'true' } });
      paintColourBar(bar, colormap);
      legendChildren.push(bar, element('div', { className: 'legend-labels' }, [this.legendLow, this.legendHigh]));
      if (ends) {
        legendChildren.push(element('div', { className: 'legend-ends' }, [
          element('span', { className: 'legend-end-low', text: `◀ ${ends.low}` }),
          element('span', { className: 'legend-end-high', text: `${ends.high} ▶` }),
        ]));
      }
    }
    legendChildren.push(this.dataExtent);
    if (colormap) legendChildren.push(this.scaleNote);
    this.root = element('figure', { className: 'detail-column', attributes: { 'data-map': mapName } }, [
      element('figcaption', { text: title }),
      element('div', { className: 'map-frame' }, [this.canvas]),
      element('div', { className: 'legend' }, legendChildren),
    ]);
  }

  /** Paint a per-pixel map on `scale` (its own min–max when none is given) and label the scale and the data's min/max. */
  showMap(values: Float32Array, width: number, height: number, scale: MapScale | null): void {
    if (!this.colormap) return;
    const range = scale ? scale.range : colourRange(values, this.colormap);
    paintHeatmap(this.canvas, values, width, height, this.colormap, range);
    setText(this.legendLow, formatScore(range.low));
    setText(this.legendHigh, formatScore(range.high));
    const extent = finiteExtent(values);
    setText(this.dataExtent, `min ${formatScore(extent.low)} · max ${formatScore(extent.high)} nats`);
    setText(this.scaleNote, scale ? scale.note : 'Scale: this image’s own range');
  }

  /** Draw the input image itself (nearest-neighbour, at its own resolution). */
  showImage(image: HTMLImageElement): void {
    this.canvas.width = image.naturalWidth;
    this.canvas.height = image.naturalHeight;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.imageSmoothingEnabled = false;
    context.drawImage(image, 0, 0);
    setText(this.dataExtent, `${image.naturalWidth} × ${image.naturalHeight} px`);
  }

  /** Blank the canvas while the next image loads. */
  clear(): void {
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    setText(this.legendLow, '');
    setText(this.legendHigh, '');
    setText(this.dataExtent, '');
    setText(this.scaleNote, '');
  }
}
