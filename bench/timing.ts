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
