import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import type * as WasmBackendModule from '@tensorflow/tfjs-backend-wasm';
import { registerIm2colConv2dBackpropFilter } from './kernels/composed/Conv2DBackpropFilter';
import { BackendUnavailableError } from './types';

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

/**
 * Starts the XNNPACK wasm backend. A bundle carries the .wasm files beside itself; otherwise the
 * package finds its own. wasm has no filter-gradient kernel: the composed im2col one is added so
 * that the tfjs training engine runs here (ONNX Runtime's graph engine is the default: its step
 * measured 2.2-2.6x the tfjs one with our former wasm kernels, docs/onnx-training.md).
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
  registerIm2colConv2dBackpropFilter('wasm');
  if (!(await tf.setBackend('wasm'))) {
    throw new BackendUnavailableError('wasm', 'the WebAssembly module did not initialise');
  }
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return `wasm: XNNPACK${simd ? ', SIMD' : ''}${threads ? ', threads' : ', 1 thread'}`;
}
