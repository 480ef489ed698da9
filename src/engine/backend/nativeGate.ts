import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { OnnxGraph, OnnxType } from '../onnx/onnxGraph';
import { hasSyncSessions, sessionCache } from '../onnx/syncSession';
import { FUSED_GATE, FUSED_GATE_GRAD } from './fusedGate';
import { SIMD_LANES } from '../wasm/simdKernels';
import { isWasmHeapBackend } from './wasmHeap';
import { simdKernelsOf } from './wasmSimd';

/**
 * x + value · σ(gate) over rows [P, F] of x and [P, 2F] of `gated` (value, then gate): the
 * runtime's Split, Sigmoid (MLAS's vectorised logistic), Mul and Add in one run.
 */
function gateGraph(filters: number): Uint8Array {
  const graph = new OnnxGraph();
  const x = graph.input({ name: 'x', type: OnnxType.float, dims: ['P', filters] });
  const gated = graph.input({ name: 'gated', type: OnnxType.float, dims: ['P', 2 * filters] });
  const [value, gate] = graph.node('Split', [gated, graph.int64s([filters, filters])], { axis: 1 }, 2);
  const [product] = graph.node('Mul', [value, graph.node('Sigmoid', [gate])[0]]);
  graph.output(graph.node('Add', [x, product])[0], { name: 'y', type: OnnxType.float, dims: ['P', filters] });
  return graph.toModel('gate');
}

/** The gradient with respect to `gated`: [dy · σ(gate), dy · value · σ(gate) · (1 − σ(gate))], [P, 2F]. */
function gateGradGraph(filters: number): Uint8Array {
  const graph = new OnnxGraph();
  const dy = graph.input({ name: 'dy', type: OnnxType.float, dims: ['P', filters] });
  const gated = graph.input({ name: 'gated', type: OnnxType.float, dims: ['P', 2 * filters] });
  const [value, gate] = graph.node('Split', [gated, graph.int64s([filters, filters])], { axis: 1 }, 2);
  const [sigmoid] = graph.node('Sigmoid', [gate]);
  const [valueGradient] = graph.node('Mul', [dy, sigmoid]);
  const [complement] = graph.node('Sub', [graph.floats(Float32Array.of(1), []), sigmoid]);
  const [gateGradient] = graph.node('Mul', [graph.node('Mul', [valueGradient, value])[0], complement]);
  const [both] = graph.node('Concat', [valueGradient, gateGradient], { axis: 1 });
  graph.output(both, { name: 'dgated', type: OnnxType.float, dims: ['P', 2 * filters] });
  return graph.toModel('gate_grad');
}

/** Each direction's kernel, graph, and the names of its first input and its output. */
const DIRECTIONS = {
  gate: { kernelName: FUSED_GATE, graph: gateGraph, first: 'x', output: 'y' },
  grad: { kernelName: FUSED_GATE_GRAD, graph: gateGradGraph, first: 'dy', output: 'dgated' },
} as const;

/** Sessions by direction and filter count (the rows, N·H·W, are free). */
const sessionFor = sessionCache(({ direction, filters }: { direction: keyof typeof DIRECTIONS; filters: number }) => DIRECTIONS[direction].graph(filters));

/**
 * Runs `direction`'s session on `first` ([.., F] or [.., 2F]) and `gated` [.., 2F] where they lie in
 * wasm memory, writing an output of `outputShape` straight into a new tensor.
 */
function runGate(args: Parameters<KernelFunc>[0], direction: keyof typeof DIRECTIONS, first: TensorInfo, gated: TensorInfo, outputShape: number[]): TensorInfo {
  const { backend } = args;
  const { kernelName, first: firstName, output: outputName } = DIRECTIONS[direction];
  const filters = gated.shape[gated.shape.length - 1] / 2;
  const session = sessionFor({ direction, filters });
  if (!session || !isWasmHeapBackend(backend) || first.dtype !== 'float32' || gated.dtype !== 'float32') {
    throw new Error(`${kernelName} (wasm) needs ONNX Runtime and float32 tensors in wasm memory`);
  }
  const rows = tf.util.sizeFromShape(gated.shape) / (2 * filters);
  const output = backend.makeOutput(outputShape, 'float32');
  // Views only now: the allocation may have grown (and so detached) wasm memory.
  const view = (tensor: TensorInfo, width: number) => ({ values: backend.typedArrayFromHeap(tensor) as Float32Array, dims: [rows, width] });
  session.runInto({ [firstName]: view(first, filters), gated: view(gated, 2 * filters) }, outputName, view(output, outputShape[outputShape.length - 1]));
  return output;
}

const wasmGate: KernelFunc = (args) => {
  const { x, gated } = args.inputs as { x: TensorInfo; gated: TensorInfo };
  return runGate(args, 'gate', x, gated, [...x.shape]);
};

/**
 * The gradient by one WebAssembly SIMD pass (simdPrograms.ts: 0.67 ms for 16 × 28² × 32 pixels and
 * filters here, against 1.75 for the runtime's Split, Sigmoid, Sub, Muls and Concat) where the
 * filters fill whole vectors; else on ONNX Runtime.
 */
const wasmGateGrad: KernelFunc = (args) => {
  const { dy, gated } = args.inputs as { dy: TensorInfo; gated: TensorInfo };
  const filters = gated.shape[gated.shape.length - 1] / 2;
  const simd = filters % SIMD_LANES === 0 ? simdKernelsOf(args.backend, [dy, gated]) : null;
  if (!simd) {
    return runGate(args, 'grad', dy, gated, [...gated.shape]);
  }
  const dgated = simd.backend.makeOutput([...gated.shape], 'float32');
  simd.kernels.gateGrad(simd.address(dy), simd.address(gated), simd.address(dgated), tf.util.sizeFromShape(dy.shape) / filters, filters * Float32Array.BYTES_PER_ELEMENT);
  return dgated;
};

/**
 * Registers the fused resnet gate and its gradient on wasm where onnxruntime-node loads (the
 * forward pass on ONNX Runtime, the gradient a SIMD kernel where it can be; idempotent); returns
 * whether they are registered. On wasm tfjs's composite split the
 * convolution's [value, gate] output into two copies (a run of F floats a pixel), and its gradient
 * joined them again; with its Sigmoid, Mul and Add and their gradients, about ten kernel calls a
 * layer each way.
 */
export function registerNativeGate(): boolean {
  if (tf.getKernel(FUSED_GATE, 'wasm') !== undefined) {
    return true;
  }
  if (!hasSyncSessions()) {
    return false;
  }
  tf.registerKernel({ kernelName: FUSED_GATE, backendName: 'wasm', kernelFunc: wasmGate });
  tf.registerKernel({ kernelName: FUSED_GATE_GRAD, backendName: 'wasm', kernelFunc: wasmGateGrad });
  return true;
}
