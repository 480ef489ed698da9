import { SeededRandom } from '../random/seededRandom';

/** Options of `mutate`. */
export interface MutationOptions {
  /** Probability μ that a value is replaced. */
  readonly rate: number;
  readonly seed: number;
  /** Number of values a feature can take (256 for 8-bit pixels). */
  readonly levels?: number;
}

/**
 * The background model's training data (Ren et al. 2019): each value is, with probability μ,
 * replaced by a *different* value, each of the other `levels − 1` equally likely — an offset drawn
 * uniformly from 1..levels−1, modulo `levels` (alibi-detect's rule). Returns a new array.
 */
export function mutate(values: Uint8Array, options: MutationOptions): Uint8Array {
  const { rate, seed, levels = 256 } = options;
  if (!(rate >= 0 && rate <= 1)) {
    throw new Error(`mutation rate must be in [0, 1], got ${rate}`);
  }
  if (!Number.isInteger(levels) || levels < 2 || levels > 256) {
    throw new Error(`levels must be an integer in 2..256, got ${levels}`);
  }
  const random = new SeededRandom(seed);
  const mutated = new Uint8Array(values);
  for (let i = 0; i < mutated.length; i++) {
    if (random.next() < rate) {
      mutated[i] = (mutated[i] + 1 + random.nextInt(levels - 1)) % levels;
    }
  }
  return mutated;
}
