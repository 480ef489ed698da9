import { popCount, THUMBNAIL_SIZE } from './perceptualHash';

/** What grouping needs of one image. */
export interface HashedImage {
  readonly pixelHash: string;
  readonly perceptualHash: string;
  readonly thumbnail: string;
}

/** Duplicate groups as indices into the input, each group in input order, groups by their first member. */
export interface DuplicateGroups {
  /** Images whose decoded pixels are identical. */
  readonly exact: number[][];
  /** Images within the hash radius and thumbnail distance of one another (chained), excluding groups that are one exact group. */
  readonly near: number[][];
}

/** Hamming radius of near-duplicate candidates, out of 64 bits (docs/signals.md: the rates it gives). */
export const NEAR_DUPLICATE_RADIUS = 8;
/** Largest RMS grey-level difference of two candidates' 8 × 8 thumbnails that confirms a near duplicate. */
export const NEAR_DUPLICATE_THUMBNAIL_RMS = 7;

/**
 * Groups exact duplicates (same pixel hash) and near duplicates (perceptual hashes within
 * `radius` bits whose thumbnails differ by at most `thumbnailRms`, joined transitively): on small
 * images the hash alone joins many distinct images, the thumbnail check most of them apart. Candidates come from the pigeonhole principle: hashes
 * within r bits agree exactly on at least one of r + 1 disjoint slices, so only images sharing a
 * slice value are compared, not every pair.
 */
export function groupDuplicates(images: readonly HashedImage[], radius = NEAR_DUPLICATE_RADIUS, thumbnailRms = NEAR_DUPLICATE_THUMBNAIL_RMS): DuplicateGroups {
  const exact = [...groupBy(images.map((image) => image.pixelHash)).values()].filter((group) => group.length > 1);
  const words = images.map((image) => [parseInt(image.perceptualHash.slice(0, 8), 16), parseInt(image.perceptualHash.slice(8, 16), 16)] as const);
  const parent = Int32Array.from(images, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const thumbnailLength = THUMBNAIL_SIZE * THUMBNAIL_SIZE;
  const thumbnails = new Uint8Array(images.length * thumbnailLength);
  images.forEach((image, i) => thumbnails.set(Buffer.from(image.thumbnail, 'hex').subarray(0, thumbnailLength), i * thumbnailLength));
  const largestSquares = thumbnailRms * thumbnailRms * thumbnailLength;
  const thumbnailsClose = (i: number, j: number): boolean => {
    let sum = 0;
    for (let k = 0; k < thumbnailLength && sum <= largestSquares; k++) {
      const difference = thumbnails[i * thumbnailLength + k] - thumbnails[j * thumbnailLength + k];
      sum += difference * difference;
    }
    return sum <= largestSquares;
  };
  const slices = sliceRanges(Math.min(64, radius + 1));
  for (const [start, length] of slices) {
    const buckets = groupBy(words.map((word) => String(bitSlice(word, start, length))));
    for (const bucket of buckets.values()) {
      for (let a = 0; a < bucket.length; a++) {
        for (let b = a + 1; b < bucket.length; b++) {
          const i = bucket[a];
          const j = bucket[b];
          const rootI = find(i);
          const rootJ = find(j);
          if (rootI === rootJ) continue;
          const distance = popCount(words[i][0] ^ words[j][0]) + popCount(words[i][1] ^ words[j][1]);
          if (distance <= radius && thumbnailsClose(i, j)) parent[Math.max(rootI, rootJ)] = Math.min(rootI, rootJ);
        }
      }
    }
  }
  const near = [...groupBy(images.map((_, i) => String(find(i)))).values()].filter(
    (group) => group.length > 1 && !group.every((i) => images[i].pixelHash === images[group[0]].pixelHash),
  );
  return { exact, near };
}

/** Indices by key, keys in first-seen order. */
function groupBy(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

/** `count` disjoint [start, length] bit ranges covering 64 bits. */
function sliceRanges(count: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * 64) / count);
    ranges.push([start, Math.floor(((i + 1) * 64) / count) - start]);
  }
  return ranges;
}

/** Bits [start, start + length) of a 64-bit hash held as two 32-bit words, most significant first. */
function bitSlice(word: readonly [number, number], start: number, length: number): number {
  let value = 0;
  for (let bit = start; bit < start + length; bit++) {
    value = value * 2 + ((word[bit >> 5] >>> (31 - (bit & 31))) & 1);
  }
  return value;
}
