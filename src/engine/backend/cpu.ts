import * as tf from '@tensorflow/tfjs-core';
import { registerIm2colConv2dBackpropFilter } from './kernels/composed/Conv2DBackpropFilter';
import { BackendUnavailableError, TFJS_KERNELS_NOTE, usesOwnKernels } from './types';

/**
 * Starts the pure-JavaScript backend: always there, and slow; the last resort. Swaps in the
 * im2col filter gradient, which takes a PixelCNN training step from ~1.4 s to ~0.2 s.
 */
export async function startCpu(): Promise<string> {
  require('@tensorflow/tfjs-backend-cpu');
  const ownKernels = usesOwnKernels();
  if (ownKernels) {
    registerIm2colConv2dBackpropFilter('cpu');
  }
  if (!(await tf.setBackend('cpu'))) {
    throw new BackendUnavailableError('cpu', 'the JavaScript backend did not initialise');
  }
  return `cpu: JavaScript${ownKernels ? '' : TFJS_KERNELS_NOTE}`;
}
