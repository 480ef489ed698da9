import * as tf from '@tensorflow/tfjs-core';

/** Whether the active backend has the kernel `kernelName` (an op then takes its fused path). */
export function activeBackendHas(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
