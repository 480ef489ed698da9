import uPlot from 'uplot';
import { element } from '../dom/element';
import { readChartTheme, type ChartTheme } from './chartTheme';

/** Builds a chart's options and data for a size and theme; undefined = nothing to show yet. */
export type ChartBuilder = (width: number, height: number, theme: ChartTheme) => { options: uPlot.Options; data: uPlot.AlignedData } | undefined;

/**
 * Owns one uPlot chart in a container: creates it once the container has a width (a hidden tab
 * has none), resizes it with the container, and rebuilds it for new data or a new theme.
 */
export class ChartHost {
  /** The container element. */
  readonly root: HTMLDivElement;
  private plot: uPlot | undefined;
  private width = 0;

  constructor(
    id: string,
    private readonly height: number,
    private readonly build: ChartBuilder,
    private readonly onCreated: (plot: uPlot) => void = () => undefined,
  ) {
    this.root = element('div', { id, className: 'chart' });
    new ResizeObserver((entries) => {
      const width = Math.floor(entries[entries.length - 1].contentRect.width);
      if (width === this.width) return;
      this.width = width;
      if (width === 0) return;
      if (this.plot) this.plot.setSize({ width, height: this.height });
      else this.rebuild();
    }).observe(this.root);
  }

  /** The chart, once it exists. */
  get chart(): uPlot | undefined {
    return this.plot;
  }

  /** Recreate the chart from the builder (new data, new theme). */
  rebuild(): void {
    this.plot?.destroy();
    this.plot = undefined;
    if (this.width === 0) return;
    const built = this.build(this.width, this.height, readChartTheme());
    if (!built) return;
    this.plot = new uPlot(built.options, built.data, this.root);
    this.onCreated(this.plot);
  }
}
