import { createHash } from 'node:crypto';

/**
 * A seeded sample of `count` files, drawn without looking at classes or order: the files whose
 * hash of (seed, relative path) is smallest (a bottom-k sketch, the order-free form of reservoir
 * sampling). One pass, `count` files held; the same seed and folder give the same sample whatever
 * order the walk lists them in, and files added later join it only by beating a kept hash.
 * Returned in the order given.
 */
export function sampleFiles<Entry extends { readonly relativePath: string }>(entries: Iterable<Entry>, count: number, seed: number): Entry[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a sample needs a positive whole number of files, got ${count}`);
  // A max-heap on the hash keeps the `count` smallest seen so far.
  const heap: Array<{ key: bigint; position: number; entry: Entry }> = [];
  const above = (a: number, b: number): boolean => heap[a].key > heap[b].key;
  const swap = (a: number, b: number): void => void ([heap[a], heap[b]] = [heap[b], heap[a]]);
  let position = 0;
  for (const entry of entries) {
    const key = createHash('sha256').update(`${seed}\u0000${entry.relativePath}`).digest().readBigUInt64BE(0);
    const item = { key, position: position++, entry };
    if (heap.length < count) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && above(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (key < heap[0].key) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < heap.length && above(left, largest)) largest = left;
        if (right < heap.length && above(right, largest)) largest = right;
        if (largest === i) break;
        swap(i, largest);
        i = largest;
      }
    }
  }
  return heap.sort((a, b) => a.position - b.position).map((item) => item.entry);
}
