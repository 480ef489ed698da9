import { THUMBNAILS_PER_CLASS } from '../fixtures/resultSet';
import { encodeGrayPng } from './pngEncoder';

const SIZE = 28;

type Shape = (x: number, y: number, variant: number) => number;

/** Clothing-like silhouettes for the inliers (Fashion-MNIST stands in as the training data). */
const CLOTHING: readonly Shape[] = [
  (x, y, v) => (y > 4 && y < 24 && Math.abs(x - 14) < 6 + (y < 10 ? 5 : 0) - (v % 2) ? 200 - 4 * y : 0), // shirt
  (x, y, v) => (y > 3 && y < 25 && (Math.abs(x - 10 - (v % 2)) < 3 || Math.abs(x - 18 + (v % 2)) < 3 || y < 9) && Math.abs(x - 14) < 8 ? 170 : 0), // trousers
  (x, y, v) => (y > 9 && y < 24 && Math.abs(x - 14) < 9 - (v % 3) ? 150 + 3 * x : Math.abs(Math.hypot(x - 14, y - 10) - 5) < 1 ? 180 : 0), // bag
  (x, y, v) => (y > 14 + (v % 3) && y < 22 && x > 3 && x < 25 - (y < 18 ? 8 : 0) ? 210 : 0), // shoe
];

/** Digit-like strokes for the outliers (MNIST). */
const DIGITS: readonly Shape[] = [
  (x, y, v) => (Math.abs(Math.hypot((x - 14) * 1.4, y - 14) - 8 - (v % 2)) < 2 ? 255 : 0), // 0
  (x, y, v) => (Math.abs(x - 14 - (y - 14) * 0.15 * ((v % 3) - 1)) < 2 && y > 4 && y < 24 ? 255 : 0), // 1
  (x, y, v) => ((y > 4 && y < 8 && x > 7 && x < 21) || (Math.abs(x - 20 + (y - 7) * (0.45 + 0.05 * (v % 2))) < 2 && y >= 7 && y < 24) ? 255 : 0), // 7
];

/** Thumbnails as PNG data URIs: THUMBNAILS_PER_CLASS inliers, then as many outliers. */
export function generateThumbnails(): string[] {
  const uris: string[] = [];
  for (const shapes of [CLOTHING, DIGITS]) {
    for (let k = 0; k < THUMBNAILS_PER_CLASS; k++) {
      const shape = shapes[k % shapes.length];
      const pixels = new Uint8Array(SIZE * SIZE);
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) pixels[y * SIZE + x] = shape(x, y, k);
      }
      uris.push(`data:image/png;base64,${encodeGrayPng(pixels, SIZE, SIZE).toString('base64')}`);
    }
  }
  return uris;
}
