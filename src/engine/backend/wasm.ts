import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import type * as WasmBackendModule from '@tensorflow/tfjs-backend-wasm';
import { registerIm2colConv2dBackpropFilter } from './im2colConv2dBackpropFilter';
import { registerNativeConv2d } from './nativeConv2d';
import { registerNativeGate } from './nativeGate';
import { registerSimdConcatEluGrad } from './simdConcatEluGrad';
import { registerWasmConv2dBackpropInput } from './wasmConv2dBackpropInput';
import { registerWasmDropout } from './deviceRandom';
import { registerWasmHeapSlice } from './wasmHeapSlice';
import { registerWasmSharedIdentity } from './wasmSharedIdentity';
import { BackendUnavailableError, TFJS_KERNELS_NOTE, usesOwnKernels } from './types';

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

/**
 * Starts the XNNPACK wasm backend. A bundle carries the .wasm files beside itself; otherwise the
 * package finds its own. Adds the filter-gradient kernel wasm lacks, so that training works, and
 * an input-gradient kernel on XNNPACK in place of wasm's plain loop (10× faster on PixelCNN++), and
 * an Identity that shares memory instead of copying it (tfjs clones every tensor the tape saves),
 * and Slice and SplitV kernels that read their input in place. Where onnxruntime-node loads,
 * convolutions (and so input gradients) and filter gradients run on ONNX Runtime's native kernels
 * (2-4× XNNPACK's speed here), and so does the resnet gate (nativeGate.ts). The training step's
 * element-wise passes (concat_elu's and the gate's gradients, dropout) are WebAssembly SIMD kernels
 * of our own, one pass each over wasm memory (src/engine/wasm).
 */
export async function startWasm(): Promise<string> {
  let wasmModule: typeof WasmBackendModule;
  try {
    wasmModule = require('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    throw new BackendUnavailableError('wasm', `cannot load @tensorflow/tfjs-backend-wasm (${String(error)})`);
  }
  if (fs.existsSync(path.join(__dirname, WASM_FILE))) {
    wasmModule.setWasmPaths(__dirname + path.sep);
  }
  registerWasmDropout();
  const ownKernels = usesOwnKernels();
  let nativeConvolutions = false;
  if (ownKernels) {
    registerIm2colConv2dBackpropFilter('wasm');
    registerWasmConv2dBackpropInput();
    registerWasmSharedIdentity();
    registerWasmHeapSlice();
    nativeConvolutions = registerNativeConv2d();
    registerNativeGate();
    registerSimdConcatEluGrad();
  } else {
    registerIm2colConv2dBackpropFilter('wasm', 'channelMajor');
  }
  if (!(await tf.setBackend('wasm'))) {
    throw new BackendUnavailableError('wasm', 'the WebAssembly module did not initialise');
  }
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  // Both the convolutions and the filter gradient's product need synchronous sessions: one check says it for both.
  const native = nativeConvolutions ? ', convolutions on ONNX Runtime' : '';
  return `wasm: XNNPACK${simd ? ', SIMD' : ''}${threads ? ', threads' : ', 1 thread'}${native}${ownKernels ? '' : TFJS_KERNELS_NOTE}`;
}
