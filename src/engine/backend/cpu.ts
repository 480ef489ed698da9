import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from './types';

/** Starts the pure-JavaScript backend: always there, and slow; the last resort. */
export async function startCpu(): Promise<string> {
  require('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) {
    throw new BackendUnavailableError('cpu', 'the JavaScript backend did not initialise');
  }
  return 'cpu: JavaScript';
}
