/**
 * Multi-index hashing (Norouzi, Punjani and Fleet 2012): split the 64 bits into m slices; two hashes
 * within r bits differ by at most ⌊r/m⌋ bits in at least one slice (pigeonhole), so probing each
 * slice's buckets within that many bits finds every pair within r. Three slices of 21–22 bits, each
 * taking every third bit (so each sees every frequency of the DCT hash), keep the buckets smallest
 * for hashes that crowd together (docs/signals.md: the measurement).
 */
const SLICE_COUNT = 3;

/**
 * Calls `visit(i, j)` (i < j) at least once for every pair of hashes within `radius` bits, and for
 * some pairs further apart: the caller checks the distance. Hashes are 64 bits as two 32-bit words.
 */
export function visitCandidatePairs(high: Uint32Array, low: Uint32Array, radius: number, visit: (i: number, j: number) => void): void {
  const count = high.length;
  const slices = Math.max(1, Math.min(SLICE_COUNT, radius + 1));
  const bitsWithin = Math.floor(radius / slices);
  for (let slice = 0; slice < slices; slice++) {
    const bits = Array.from({ length: 64 }, (_, bit) => bit).filter((bit) => bit % slices === slice);
    const length = bits.length;
    const keys = new Uint32Array(count);
    for (let i = 0; i < count; i++) keys[i] = gatherBits(high[i], low[i], bits);
    const { distinct, members, firstMember, bucketOf } = bucketsByKey(keys);
    const masks = flipMasks(length, bitsWithin);
    for (let bucket = 0; bucket < distinct.length; bucket++) {
      const from = firstMember[bucket];
      const to = firstMember[bucket + 1];
      for (let a = from; a < to; a++) for (let b = a + 1; b < to; b++) visitOrdered(members[a], members[b], visit);
      const key = distinct[bucket];
      for (const mask of masks) {
        const neighbour = (key ^ mask) >>> 0;
        if (neighbour < key) continue; // each pair of buckets once
        const other = bucketOf.get(neighbour);
        if (other === undefined) continue;
        for (let a = from; a < to; a++) for (let b = firstMember[other]; b < firstMember[other + 1]; b++) visitOrdered(members[a], members[b], visit);
      }
    }
  }
}

function visitOrdered(i: number, j: number, visit: (i: number, j: number) => void): void {
  if (i < j) visit(i, j);
  else visit(j, i);
}

/** Images grouped by key: bucket b holds members[firstMember[b] .. firstMember[b + 1]), in input order. */
function bucketsByKey(keys: Uint32Array): { distinct: Uint32Array; members: Int32Array; firstMember: Int32Array; bucketOf: Map<number, number> } {
  const order = Int32Array.from(keys, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
  const bucketOf = new Map<number, number>();
  const starts: number[] = [];
  const distinct: number[] = [];
  order.forEach((image, position) => {
    if (position === 0 || keys[image] !== keys[order[position - 1]]) {
      bucketOf.set(keys[image], distinct.length);
      distinct.push(keys[image]);
      starts.push(position);
    }
  });
  starts.push(order.length);
  return { distinct: Uint32Array.from(distinct), members: order, firstMember: Int32Array.from(starts), bucketOf };
}

/** Every non-zero mask of `length` bits with at most `bits` bits set. */
function flipMasks(length: number, bits: number): number[] {
  const masks: number[] = [];
  const extend = (mask: number, lowest: number, left: number): void => {
    for (let bit = lowest; bit < length; bit++) {
      const next = (mask | (1 << bit)) >>> 0;
      masks.push(next);
      if (left > 1) extend(next, bit + 1, left - 1);
    }
  };
  if (bits > 0) extend(0, 0, bits);
  return masks;
}

/** The hash's bits at `bits` (0 = most significant of high:low), in that order, as an unsigned integer (at most 32 bits). */
function gatherBits(high: number, low: number, bits: readonly number[]): number {
  let value = 0;
  for (const bit of bits) value = value * 2 + ((bit < 32 ? high >>> (31 - bit) : low >>> (63 - bit)) & 1);
  return value;
}
