/**
 * A small, fast, seedable pseudo-random generator (mulberry32): the same seed gives the same
 * stream on every machine, which makes mutations and shuffles reproducible.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniformly shuffled permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Uint32Array {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      order[i] = i;
    }
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
