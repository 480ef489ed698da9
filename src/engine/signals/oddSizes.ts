/** A file's own pixel size, before it was resized for the detector. */
export interface SourceSize {
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

/** Smallest ratio to the folder's typical area (either way) that counts as an odd size. */
const ODD_AREA_RATIO = 2;
/** Smallest ratio to the folder's typical aspect ratio (either way) that counts as odd. */
const ODD_ASPECT_RATIO = 1.25;
/** Robust z (distance over 1.4826 × MAD) beyond which a size is odd when the folder's sizes vary. */
const ODD_ROBUST_Z = 4;

/**
 * Which images have an odd size or aspect ratio against the folder: log area and log aspect ratio
 * compared with the folder's medians; odd when at least {@link ODD_AREA_RATIO}× (or
 * {@link ODD_ASPECT_RATIO}× in aspect) away and, where sizes vary, {@link ODD_ROBUST_Z} robust
 * deviations away. Returns one flag per image.
 */
export function findOddSizes(sizes: readonly SourceSize[]): boolean[] {
  if (sizes.length < 3) {
    return sizes.map(() => false);
  }
  const logArea = sizes.map((size) => Math.log(size.sourceWidth * size.sourceHeight));
  const logAspect = sizes.map((size) => Math.log(size.sourceWidth / size.sourceHeight));
  const oddArea = outlying(logArea, Math.log(ODD_AREA_RATIO));
  const oddAspect = outlying(logAspect, Math.log(ODD_ASPECT_RATIO));
  return sizes.map((_, i) => oddArea[i] || oddAspect[i]);
}

function outlying(values: readonly number[], smallestDistance: number): boolean[] {
  const centre = median(values);
  const spread = 1.4826 * median(values.map((value) => Math.abs(value - centre)));
  const limit = Math.max(smallestDistance, ODD_ROBUST_Z * spread);
  return values.map((value) => Math.abs(value - centre) > limit);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
