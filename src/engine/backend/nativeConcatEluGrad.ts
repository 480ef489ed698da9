import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { OnnxGraph, OnnxType } from '../onnx/onnxGraph';
import { sessionCache } from '../onnx/syncSession';
import { registerWasmOnnxRuntimeKernels } from './nativeKernels';
import { CONCAT_ELU_OUTPUT_GRAD } from './concatElu';
import { isWasmHeapBackend } from './wasmHeap';

/**
 * concat_elu's gradient from its output y = elu([x, −x]) over rows [P, 2C]: elu′ is 1 where the
 * output is positive and e^v = y + 1 elsewhere, so the slope is min(y, 0) + 1 with no exponential,
 * and dx = dy₁ · slope₁ − dy₂ · slope₂: the runtime's Min, Add, Mul, Split and Sub in one run.
 */
function concatEluGradGraph(channels: number): Uint8Array {
  const graph = new OnnxGraph();
  const dy = graph.input({ name: 'dy', type: OnnxType.float, dims: ['P', 2 * channels] });
  const y = graph.input({ name: 'y', type: OnnxType.float, dims: ['P', 2 * channels] });
  const [negativePart] = graph.node('Min', [y, graph.floats(Float32Array.of(0), [])]);
  const [slope] = graph.node('Add', [negativePart, graph.floats(Float32Array.of(1), [])]);
  const [both] = graph.node('Mul', [dy, slope]);
  const [positive, negative] = graph.node('Split', [both, graph.int64s([channels, channels])], { axis: 1 }, 2);
  graph.output(graph.node('Sub', [positive, negative])[0], { name: 'dx', type: OnnxType.float, dims: ['P', channels] });
  return graph.toModel('concat_elu_grad');
}

/** A session per channel count (the rows, N·H·W, are free). */
const sessionFor = sessionCache(concatEluGradGraph);

/** dx [N, H, W, C] from dy and y [N, H, W, 2C] in wasm memory, written straight into a new tensor. */
const wasmConcatEluOutputGrad: KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const channels = y.shape[3] / 2;
  const session = sessionFor(channels);
  if (!session || !isWasmHeapBackend(backend) || dy.dtype !== 'float32' || y.dtype !== 'float32') {
    throw new Error(`${CONCAT_ELU_OUTPUT_GRAD} (wasm) needs ONNX Runtime and float32 tensors in wasm memory`);
  }
  const rows = tf.util.sizeFromShape(y.shape) / (2 * channels);
  const dx = backend.makeOutput([y.shape[0], y.shape[1], y.shape[2], channels], 'float32');
  // Views only now: the allocation may have grown (and so detached) wasm memory.
  const view = (tensor: TensorInfo, width: number) => ({ values: backend.typedArrayFromHeap(tensor) as Float32Array, dims: [rows, width] });
  session.runInto({ dy: view(dy, 2 * channels), y: view(y, 2 * channels) }, 'dx', view(dx, channels));
  return dx;
};

/**
 * Registers concat_elu's gradient on wasm, on ONNX Runtime, where onnxruntime-node loads
 * (idempotent); returns whether it is registered. tfjs's composite takes a SplitV, two EluGrads, a
 * Neg and an Add, five passes over the activations, the split a copy of all of them.
 */
export function registerNativeConcatEluGrad(): boolean {
  return registerWasmOnnxRuntimeKernels({ [CONCAT_ELU_OUTPUT_GRAD]: wasmConcatEluOutputGrad });
}
