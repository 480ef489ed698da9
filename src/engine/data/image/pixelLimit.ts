import { ImageDecodeError } from './imageDecodeError';

/** Throws "image too large: 30000×30000 (limit 100 megapixels)" when `width * height` exceeds `limit`. */
export function checkPixelLimit(path: string, width: number, height: number, limit: number): void {
  if (width * height > limit) {
    throw new ImageDecodeError(path, `image too large: ${width}×${height} (limit ${formatMegapixels(limit)})`);
  }
}

/** "100 megapixels", "1.5 megapixels", "0.25 megapixels". */
export function formatMegapixels(pixels: number): string {
  return `${Number((pixels / 1_000_000).toPrecision(3))} megapixels`;
}
