import * as tf from '@tensorflow/tfjs-core';
import type { DataId, KernelFunc } from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';

/** The part of the wasm backend this kernel uses: the reference count its Reshape kernel uses too. */
interface RefCountingBackend {
  incRef(dataId: DataId): void;
}

/** The Identity kernel the wasm backend came with (copies), kept for strings. */
let copyingIdentity: tf.KernelConfig | undefined;

/**
 * Identity for wasm that shares the input's memory, as the cpu and webgpu backends' do; wasm's own
 * copies. tfjs clones (Identity) every tensor it saves for the backward pass, so on wasm a
 * training step copied each saved activation: ~700 copies per fast-preset step, 7% of its time,
 * and twice the tape's memory. Sharing is safe because no kernel writes into its inputs (Reshape
 * already shares this way) and variables take new memory when assigned.
 */
const sharedIdentity: KernelFunc = (args) => {
  const { x } = args.inputs;
  if (x === undefined) {
    throw new Error('Identity (wasm) needs input x');
  }
  if (x.dtype === 'string' && copyingIdentity) {
    return copyingIdentity.kernelFunc(args);
  }
  (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Whether the wasm backend's Identity is this module's sharing one. */
export function usesSharedIdentity(): boolean {
  return tf.getKernel(tf.Identity, BACKEND)?.kernelFunc === sharedIdentity;
}

/** Replaces the wasm backend's copying Identity with one that shares memory (idempotent). */
export function registerWasmSharedIdentity(): void {
  if (usesSharedIdentity()) {
    return;
  }
  copyingIdentity = tf.getKernel(tf.Identity, BACKEND);
  if (copyingIdentity) {
    tf.unregisterKernel(tf.Identity, BACKEND);
  }
  tf.registerKernel({ kernelName: tf.Identity, backendName: BACKEND, kernelFunc: sharedIdentity });
}
