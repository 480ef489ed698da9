/*
 * PCG's output hash (O'Neill's pcg32 RXS-M-XS, as in Jarzynski & Olano 2020): a 32-bit value to a
 * well-mixed 32-bit value. Dropout masks hash each value's index with it (in JavaScript, WGSL and
 * WebAssembly SIMD alike), and training draws its per-step dropout seeds from it.
 */

/** The hash's constants: the LCG step's multiplier and increment, and the output multiplier. */
export const PCG = { multiplier: 747796405, increment: 2891336453, outputMultiplier: 277803737 } as const;

/** pcgHash of `value` (taken as uint32), as a uint32. */
export function pcgHash(value: number): number {
  const state = (Math.imul(value, PCG.multiplier) + PCG.increment) | 0;
  const word = Math.imul((state >>> ((state >>> 28) + 4)) ^ state, PCG.outputMultiplier);
  return ((word >>> 22) ^ word) >>> 0;
}
