// Sorting 100,000 slots by score with a comparator costs 130–200 ms on the development VM
// (docs/panel.md, "Ranking and signals"); a radix pass over float32 keys does the bulk of it.

const RADIX = 1 << 16;

/** A float32 score as an unsigned key whose ascending order is the score's descending order (−0 as +0). */
function descendingKey(score: number, bits: Uint32Array, float: Float32Array): number {
  float[0] = score + 0;
  const raw = bits[0];
  // Ascending sortable bits: flip every bit of a negative number, only the sign bit of a positive one.
  const ascending = raw & 0x80000000 ? ~raw >>> 0 : (raw | 0x80000000) >>> 0;
  return ~ascending >>> 0;
}

/**
 * `slots` sorted by `scoreOf` descending, ties by `compare` (which must order by the score first,
 * then break its ties): a two-pass radix sort on each score's float32 key, then `compare` over each
 * run of equal keys — the same order as `slots.sort(compare)`, since a score's float32 rounding
 * never reverses two scores. With a NaN score (no order of its own) it is `slots.sort(compare)`.
 */
export function sortByScoreDescending(slots: Int32Array, scoreOf: (slot: number) => number, compare: (a: number, b: number) => number): Int32Array {
  const count = slots.length;
  const keys = new Uint32Array(count);
  const float = new Float32Array(1);
  const bits = new Uint32Array(float.buffer);
  for (let i = 0; i < count; i++) {
    const score = scoreOf(slots[i]);
    if (Number.isNaN(score)) return slots.sort(compare);
    keys[i] = descendingKey(score, bits, float);
  }
  let order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let scratch = new Int32Array(count);
  const counts = new Uint32Array(RADIX);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < count; i++) counts[(keys[order[i]] >>> shift) & 0xffff]++;
    let total = 0;
    for (let digit = 0; digit < RADIX; digit++) {
      const here = counts[digit];
      counts[digit] = total;
      total += here;
    }
    for (let i = 0; i < count; i++) scratch[counts[(keys[order[i]] >>> shift) & 0xffff]++] = order[i];
    [order, scratch] = [scratch, order];
  }
  const sorted = new Int32Array(count);
  for (let i = 0; i < count; i++) sorted[i] = slots[order[i]];
  for (let start = 0; start < count; ) {
    let end = start + 1;
    while (end < count && keys[order[end]] === keys[order[start]]) end++;
    if (end - start > 1) sorted.subarray(start, end).sort(compare);
    start = end;
  }
  return sorted;
}
