import type { Colormap } from './colormaps';

/** The value range a heatmap's colours span. */
export interface ValueRange {
  readonly low: number;
  readonly high: number;
}

/** The data's min and max, ignoring non-finite values (a log p of −∞ must not flatten the map). */
export function finiteExtent(values: Float32Array): ValueRange {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Number.isFinite(value)) {
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  return Number.isFinite(low) ? { low, high } : { low: 0, high: 0 };
}

/** The colour range for `values`: min–max, or ±max|value| around zero for a diverging map. */
export function colourRange(values: Float32Array, colormap: Colormap): ValueRange {
  const extent = finiteExtent(values);
  if (colormap.diverging) {
    const magnitude = Math.max(Math.abs(extent.low), Math.abs(extent.high)) || 1;
    return { low: -magnitude, high: magnitude };
  }
  return extent.high > extent.low ? extent : { low: extent.low - 0.5, high: extent.high + 0.5 };
}

/**
 * Paint a row-major [height × width] map at one canvas pixel per value; CSS scales the canvas
 * up with `image-rendering: pixelated`, so each image pixel stays a crisp square.
 */
export function paintHeatmap(canvas: HTMLCanvasElement, values: Float32Array, width: number, height: number, colormap: Colormap, range: ValueRange): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(width, height);
  const scale = 255 / (range.high - range.low);
  for (let i = 0; i < width * height; i++) {
    const value = values[i];
    const k = Number.isFinite(value) ? Math.max(0, Math.min(255, Math.round((value - range.low) * scale))) : value > 0 ? 255 : 0;
    image.data[i * 4] = colormap.table[k * 4];
    image.data[i * 4 + 1] = colormap.table[k * 4 + 1];
    image.data[i * 4 + 2] = colormap.table[k * 4 + 2];
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/** Paint a colour bar (the legend's gradient), low on the left. */
export function paintColourBar(canvas: HTMLCanvasElement, colormap: Colormap): void {
  canvas.width = 256;
  canvas.height = 1;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(256, 1);
  image.data.set(colormap.table);
  context.putImageData(image, 0, 0);
}

/**
 * Paint a diverging map to lay over an image: each pixel's colour as in `paintHeatmap`, its
 * alpha growing with its distance from zero, so pixels that favour neither model leave the
 * image's own pixels (and contrast) as they are.
 */
export function paintOverlay(canvas: HTMLCanvasElement, values: Float32Array, width: number, height: number, colormap: Colormap, range: ValueRange): void {
  paintHeatmap(canvas, values, width, height, colormap, range);
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.getImageData(0, 0, width, height);
  const magnitude = Math.max(Math.abs(range.low), Math.abs(range.high)) || 1;
  for (let i = 0; i < width * height; i++) {
    const value = values[i];
    const strength = Number.isFinite(value) ? Math.min(1, Math.abs(value) / magnitude) : 1;
    image.data[i * 4 + 3] = Math.round(255 * strength);
  }
  context.putImageData(image, 0, 0);
}
