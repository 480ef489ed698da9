import uPlot from 'uplot';
import type { ScanModel } from '../app/scanModel';
import { element } from '../dom/element';
import { formatCount, formatScore } from '../dom/format';
import { withAlpha } from './chartTheme';
import { ChartHost } from './chartHost';
import { baseOptions, themedAxis } from './plotOptions';

/** Below this share of images above the threshold, the tail is invisible on linear counts: `auto` picks a log axis. */
export const LOG_COUNTS_BELOW_TAIL_SHARE = 0.05;

/**
 * The histogram of instance scores (bins computed once per snapshot) with the threshold as a
 * line the user drags; moving the threshold moves two absolutely positioned elements, it never
 * redraws the bars. On a log count axis a bin of one image is as readable as one of a thousand;
 * labelled outliers are also drawn as dots, so a group of a few shows on a linear axis too.
 */
export class HistogramChart {
  private readonly host: ChartHost;
  private readonly line = element('div', { id: 'histogram-threshold', className: 'threshold-line', attributes: { 'aria-hidden': 'true' } });
  private readonly region = element('div', { className: 'threshold-region', attributes: { 'aria-hidden': 'true' } });
  private readonly lineLabel = element('span', { id: 'histogram-threshold-label', className: 'threshold-label' });
  private model: ScanModel | undefined;
  private threshold = 0;
  private logCounts = false;

  constructor(private readonly onDrag: (value: number) => void) {
    this.line.append(this.lineLabel);
    this.host = new ChartHost('histogram', 220, (width, height, theme) => {
      const model = this.model;
      if (!model) return undefined;
      const { histogram, groundTruth } = model;
      const bars = uPlot.paths.bars?.({ size: [1, Infinity], gap: 0 });
      const labelled = groundTruth && histogram.labelledInliers && histogram.labelledOutliers;
      const log = this.logCounts;
      // Empty bins are gaps: a log axis has no zero, and a dot must mark only bins with images.
      const counts = (values: Float64Array): (number | null)[] => Array.from(values, (count) => (count > 0 ? count : null));
      // Bars fill down to just under one image on a log axis (it has no zero).
      const fillTo = log ? (): number => 0.7 : undefined;
      const series: uPlot.Series[] = [{ label: 'Score' }];
      const data: (ArrayLike<number | null>)[] = [histogram.centres];
      if (labelled) {
        series.push(
          { label: 'Labelled inliers', stroke: theme.inlier, fill: withAlpha(theme.inlier, 0.45), paths: bars, points: { show: false }, fillTo },
          { label: 'Labelled outliers', stroke: theme.secondary, fill: withAlpha(theme.secondary, 0.45), paths: bars, points: { show: true, size: 6, fill: theme.secondary, stroke: theme.secondary }, fillTo },
        );
        data.push(counts(histogram.labelledInliers), counts(histogram.labelledOutliers));
      } else {
        series.push({ label: 'Images', stroke: theme.primary, fill: withAlpha(theme.primary, 0.5), paths: bars, points: { show: false }, fillTo });
        data.push(counts(histogram.all));
      }
      const half = histogram.binWidth / 2;
      const tallest = Math.max(1, ...histogram.all);
      const options: uPlot.Options = {
        ...baseOptions(width, height),
        scales: {
          x: { time: false, range: [model.index.min - half, model.index.max + half] },
          y: log ? { distr: 3, log: 10, range: [0.7, tallest * 1.6] } : { range: [0, tallest * 1.08] },
        },
        axes: [themedAxis(theme, model.snapshot.ranking?.settings.mode === 'verdict' ? 'Outlier score (−log10 corrected tail probability of the most extreme signal)' : 'Outlier score (−log-likelihood ratio, nats)'), themedAxis(theme, log ? 'Images (log scale)' : 'Images', { size: 56 })],
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

  /** New scores or another count axis: rebuild the bars. */
  setModel(model: ScanModel, logCounts: boolean): void {
    this.model = model;
    this.logCounts = logCounts;
    this.root.dataset.countScale = logCounts ? 'log' : 'linear';
    this.host.rebuild();
  }

  /** Rebuild for a new theme. */
  rebuild(): void {
    this.host.rebuild();
  }

  /** Move the threshold line (cheap: a few style writes) and say what it flags. */
  setThreshold(value: number, flagged?: number): void {
    this.threshold = value;
    if (flagged !== undefined) this.lineLabel.textContent = `score > ${formatScore(value)}: ${formatCount(flagged)} flagged`;
    const plot = this.host.chart;
    if (!plot) return;
    const left = Math.max(0, Math.min(plot.over.clientWidth, plot.valToPos(value, 'x')));
    this.line.style.transform = `translateX(${left}px)`;
    this.region.style.left = `${left}px`;
    // The label sits beside the line, on the side with room.
    this.line.classList.toggle('label-left', left > plot.over.clientWidth / 2);
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
