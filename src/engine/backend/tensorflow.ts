import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from './types';

/** The native TensorFlow bindings, best first; both are optional dependencies. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Starts the native TensorFlow backend from tfjs-node-gpu (CUDA) or tfjs-node. Their install
 * downloads libtensorflow, so they are often absent: that is a normal "unavailable".
 */
export async function startTensorflow(): Promise<string> {
  const failures: string[] = [];
  for (const packageName of NATIVE_PACKAGES) {
    try {
      require(packageName);
    } catch (error) {
      failures.push(`${packageName}: ${firstLine(error)}`);
      continue;
    }
    if (await tf.setBackend('tensorflow')) {
      return `tensorflow: ${packageName}`;
    }
    failures.push(`${packageName}: loaded, but registered no 'tensorflow' backend in this tfjs-core (version mismatch?)`);
  }
  throw new BackendUnavailableError('tensorflow', failures.join('; '));
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}
