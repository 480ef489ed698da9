import { visitCandidatePairs } from './hammingCandidates';
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
 * images the hash alone joins many distinct images, the thumbnail check most of them apart.
 * Candidates come from multi-index hashing over one image of each exact group (its copies have the
 * same hash and thumbnail, so they join whatever it joins), not from every pair.
 */
export function groupDuplicates(images: readonly HashedImage[], radius = NEAR_DUPLICATE_RADIUS, thumbnailRms = NEAR_DUPLICATE_THUMBNAIL_RMS): DuplicateGroups {
  const byPixels = groupBy(images.map((image) => image.pixelHash));
  const exact = [...byPixels.values()].filter((group) => group.length > 1);
  const representatives = [...byPixels.values()].map((group) => group[0]);
  const high = Uint32Array.from(representatives, (i) => parseInt(images[i].perceptualHash.slice(0, 8), 16));
  const low = Uint32Array.from(representatives, (i) => parseInt(images[i].perceptualHash.slice(8, 16), 16));
  const thumbnailLength = THUMBNAIL_SIZE * THUMBNAIL_SIZE;
  const thumbnails = new Uint8Array(representatives.length * thumbnailLength);
  representatives.forEach((image, r) => thumbnails.set(Buffer.from(images[image].thumbnail, 'hex').subarray(0, thumbnailLength), r * thumbnailLength));
  const largestSquares = thumbnailRms * thumbnailRms * thumbnailLength;
  const thumbnailsClose = (r: number, s: number): boolean => {
    let sum = 0;
    for (let k = 0; k < thumbnailLength && sum <= largestSquares; k++) {
      const difference = thumbnails[r * thumbnailLength + k] - thumbnails[s * thumbnailLength + k];
      sum += difference * difference;
    }
    return sum <= largestSquares;
  };
  const parent = Int32Array.from(representatives, (_, r) => r);
  const find = (r: number): number => {
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]];
      r = parent[r];
    }
    return r;
  };
  visitCandidatePairs(high, low, radius, (r, s) => {
    const rootR = find(r);
    const rootS = find(s);
    if (rootR === rootS) return;
    if (popCount(high[r] ^ high[s]) + popCount(low[r] ^ low[s]) <= radius && thumbnailsClose(r, s)) parent[Math.max(rootR, rootS)] = Math.min(rootR, rootS);
  });
  const componentOf = new Int32Array(images.length);
  [...byPixels.values()].forEach((group, r) => group.forEach((image) => (componentOf[image] = representatives[find(r)])));
  const near = [...groupBy(Array.from(componentOf, String)).values()].filter(
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
