import type uPlot from 'uplot';
import type { Curve } from '../../src/common/metrics/curves';
import { ChartHost } from './chartHost';
import { baseOptions, themedAxis } from './plotOptions';

/** A point on a curve the chart marks (the operating point at the current threshold). */
export interface MarkedPoint {
  readonly x: number;
  readonly y: number;
}

/** What a ROC or PR chart shows. */
export interface CurveChartSpec {
  readonly id: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly seriesLabel: string;
  /** Draw the chance diagonal (ROC). */
  readonly diagonal: boolean;
}

/**
 * A curve on [0, 1]² with the current operating point drawn on top; moving the threshold
 * redraws from cached paths (`redraw(false)`), which stays well under a millisecond.
 */
export class CurveChart {
  private readonly host: ChartHost;
  private curve: Curve | undefined;
  private point: MarkedPoint | undefined;
  private pointColour = '#f14c4c';

  constructor(spec: CurveChartSpec) {
    this.host = new ChartHost(spec.id, 240, (width, height, theme) => {
      if (!this.curve) return undefined;
      this.pointColour = theme.threshold;
      const series: uPlot.Series[] = [{ label: spec.xLabel }, { label: spec.seriesLabel, stroke: theme.primary, width: 2, points: { show: false } }];
      const data: ArrayLike<number>[] = [this.curve.x, this.curve.y];
      if (spec.diagonal) {
        series.push({ label: 'Chance', stroke: theme.grid, dash: [4, 4], width: 1, points: { show: false } });
        data.push(this.curve.x);
      }
      const options: uPlot.Options = {
        ...baseOptions(width, height),
        scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
        axes: [themedAxis(theme, spec.xLabel), themedAxis(theme, spec.yLabel, { size: 48 })],
        series,
        hooks: { draw: [(plot) => this.drawPoint(plot)] },
      };
      return { options, data: data as uPlot.AlignedData };
    });
  }

  /** The chart's container. */
  get root(): HTMLElement {
    return this.host.root;
  }

  /** Show another curve. */
  setCurve(curve: Curve): void {
    this.curve = curve;
    this.host.rebuild();
  }

  /** Rebuild for a new theme. */
  rebuild(): void {
    this.host.rebuild();
  }

  /** Move the operating point. */
  setPoint(point: MarkedPoint): void {
    this.point = point;
    this.host.chart?.redraw(false, false);
  }

  private drawPoint(plot: uPlot): void {
    if (!this.point) return;
    const context = plot.ctx;
    const x = plot.valToPos(this.point.x, 'x', true);
    const y = plot.valToPos(this.point.y, 'y', true);
    context.save();
    context.fillStyle = this.pointColour;
    context.beginPath();
    context.arc(x, y, 5 * devicePixelRatio, 0, 2 * Math.PI);
    context.fill();
    context.restore();
  }
}
