import type * as tf from '@tensorflow/tfjs-core';

/**
 * Mean seconds per call of `step` (its result read back and freed), after one warm-up call, over at
 * least `seconds` seconds and at least `minimumCalls` calls.
 */
export async function timePerCall(step: () => tf.Tensor, seconds: number, minimumCalls = 2): Promise<number> {
  const warmUp = step();
  await warmUp.data();
  warmUp.dispose();
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000 || calls < minimumCalls) {
    const result = step();
    await result.data();
    result.dispose();
    calls++;
  }
  return (performance.now() - started) / 1000 / calls;
}

/** Seconds of one call of `step`, its result read back and freed. */
async function timeOneCall(step: () => tf.Tensor): Promise<number> {
  const started = performance.now();
  const result = step();
  await result.data();
  result.dispose();
  return (performance.now() - started) / 1000;
}

/**
 * Seconds per call of `first` and `second`, called in turn (after one warm-up call each) for at
 * least `seconds` seconds and `minimumRounds` rounds. A ratio of the two taken round by round
 * holds on a machine whose speed drifts from minute to minute, where two separate runs do not.
 */
export async function alternatingRounds(
  first: () => tf.Tensor,
  second: () => tf.Tensor,
  seconds: number,
  minimumRounds = 3,
): Promise<{ first: number[]; second: number[] }> {
  await timeOneCall(first);
  await timeOneCall(second);
  const rounds = { first: [] as number[], second: [] as number[] };
  const started = performance.now();
  while (performance.now() - started < seconds * 1000 || rounds.first.length < minimumRounds) {
    rounds.first.push(await timeOneCall(first));
    rounds.second.push(await timeOneCall(second));
  }
  return rounds;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
