import type uPlot from 'uplot';
import type { ChartTheme } from './chartTheme';

/** An axis in the theme's colours. */
export function themedAxis(theme: ChartTheme, label: string, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
  return {
    label,
    stroke: theme.foreground,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    font: `11px ${theme.fontFamily}`,
    labelFont: `12px ${theme.fontFamily}`,
    ...extra,
  };
}

/** Options every chart of the panel shares: no zoom-by-drag (drags set the threshold), a static legend. */
export function baseOptions(width: number, height: number): Pick<uPlot.Options, 'width' | 'height' | 'cursor' | 'legend'> {
  return {
    width,
    height,
    cursor: { drag: { x: false, y: false }, points: { show: false }, x: false, y: false },
    legend: { show: true, live: false },
  };
}
