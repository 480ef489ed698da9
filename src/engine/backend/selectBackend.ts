import * as tf from '@tensorflow/tfjs-core';
// Every backend trains: the gradients of all ops are registered once, here.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { startCpu } from './cpu';
import { startTensorflow } from './tensorflow';
import type { BackendChoice, BackendName, SelectedBackend } from './types';
import { BACKEND_PREFERENCE, BackendUnavailableError } from './types';
import { startWasm } from './wasm';
import { startWebgpu } from './webgpu';

const STARTERS: Record<BackendName, () => Promise<string>> = {
  webgpu: startWebgpu,
  tensorflow: startTensorflow,
  wasm: startWasm,
  cpu: startCpu,
};

/** Called with each backend `auto` skipped and why, so that logs can say why the GPU was not used. */
export type SkippedBackendListener = (backend: BackendName, reason: string) => void;

/**
 * Makes `choice` the active TensorFlow.js backend. `auto` takes the first of webgpu → tensorflow →
 * wasm → cpu that starts; a forced backend that cannot start throws a BackendUnavailableError.
 */
export async function selectBackend(choice: BackendChoice = 'auto', onSkipped?: SkippedBackendListener): Promise<SelectedBackend> {
  const candidates = choice === 'auto' ? BACKEND_PREFERENCE : [choice];
  for (const name of candidates) {
    const started = descriptions.get(name);
    if (tf.engine().backendName === name && started !== undefined) {
      return { name, description: started };
    }
    try {
      const description = await STARTERS[name]();
      await tf.ready();
      descriptions.set(name, description);
      return { name, description };
    } catch (error) {
      const reason = error instanceof BackendUnavailableError ? error.reason : String(error);
      if (choice !== 'auto') {
        throw error instanceof BackendUnavailableError ? error : new BackendUnavailableError(name, reason);
      }
      onSkipped?.(name, reason);
    }
  }
  throw new Error('No TensorFlow.js backend could start, not even the JavaScript one');
}

/** What each backend said when it started (tests and callers may switch with tf.setBackend too). */
const descriptions = new Map<BackendName, string>();
