import uPlot from 'uplot';
import type { ScanModel } from '../app/scanModel';
import { element } from '../dom/element';
import { withAlpha } from './chartTheme';
import { ChartHost } from './chartHost';
import { baseOptions, themedAxis } from './plotOptions';

/**
 * The histogram of instance scores (bins computed once per snapshot) with the threshold as a
 * line the user drags; moving the threshold moves two absolutely positioned elements, it never
 * redraws the bars.
 */
export class HistogramChart {
  private readonly host: ChartHost;
  private readonly line = element('div', { id: 'histogram-threshold', className: 'threshold-line', attributes: { 'aria-hidden': 'true' } });
  private readonly region = element('div', { className: 'threshold-region', attributes: { 'aria-hidden': 'true' } });
  private model: ScanModel | undefined;
  private threshold = 0;

  constructor(private readonly onDrag: (value: number) => void) {
    this.host = new ChartHost('histogram', 220, (width, height, theme) => {
      const model = this.model;
      if (!model) return undefined;
      const { histogram, groundTruth } = model;
      const bars = uPlot.paths.bars?.({ size: [1, Infinity], gap: 0 });
      const labelled = groundTruth && histogram.labelledInliers && histogram.labelledOutliers;
      const series: uPlot.Series[] = [{ label: 'Score' }];
      const data: (ArrayLike<number>)[] = [histogram.centres];
      if (labelled) {
        series.push(
          { label: 'Labelled inliers', stroke: theme.inlier, fill: withAlpha(theme.inlier, 0.45), paths: bars, points: { show: false } },
          { label: 'Labelled outliers', stroke: theme.secondary, fill: withAlpha(theme.secondary, 0.45), paths: bars, points: { show: false } },
        );
        data.push(histogram.labelledInliers, histogram.labelledOutliers);
      } else {
        series.push({ label: 'Images', stroke: theme.primary, fill: withAlpha(theme.primary, 0.5), paths: bars, points: { show: false } });
        data.push(histogram.all);
      }
      const half = histogram.binWidth / 2;
      const options: uPlot.Options = {
        ...baseOptions(width, height),
        scales: { x: { time: false, range: [model.index.min - half, model.index.max + half] } },
        axes: [themedAxis(theme, 'Outlier score (−log-likelihood ratio, nats)'), themedAxis(theme, 'Images', { size: 56 })],
        series,
        // uPlot lays out in a microtask after construction; place the line once scales are known.
        hooks: { draw: [() => this.setThreshold(this.threshold)] },
      };
      return { options, data: data as uPlot.AlignedData };
    }, (plot) => this.attach(plot));
  }

  /** The chart's container. */
  get root(): HTMLElement {
    return this.host.root;
  }

  /** New scores: rebuild the bars. */
  setModel(model: ScanModel): void {
    this.model = model;
    this.host.rebuild();
  }

  /** Rebuild for a new theme. */
  rebuild(): void {
    this.host.rebuild();
  }

  /** Move the threshold line (cheap: two style writes). */
  setThreshold(value: number): void {
    this.threshold = value;
    const plot = this.host.chart;
    if (!plot) return;
    const left = Math.max(0, Math.min(plot.over.clientWidth, plot.valToPos(value, 'x')));
    this.line.style.transform = `translateX(${left}px)`;
    this.region.style.left = `${left}px`;
  }

  private attach(plot: uPlot): void {
    plot.over.append(this.region, this.line);
    plot.over.classList.add('threshold-drag-surface');
    const valueAt = (event: PointerEvent): number => {
      const left = event.clientX - plot.over.getBoundingClientRect().left;
      const model = this.model;
      const value = plot.posToVal(left, 'x');
      return model ? Math.max(model.index.min, Math.min(model.index.max, value)) : value;
    };
    plot.over.addEventListener('pointerdown', (event) => {
      plot.over.setPointerCapture(event.pointerId);
      this.onDrag(valueAt(event));
    });
    plot.over.addEventListener('pointermove', (event) => {
      if (plot.over.hasPointerCapture(event.pointerId)) this.onDrag(valueAt(event));
    });
    this.setThreshold(this.threshold);
  }
}
