import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { PCG, pcgHash } from '../random/pcgHash';
import { hasSimdKernels, SIMD_LANES } from '../wasm/simdKernels';
import type { WebgpuProgramRunner } from './webgpuFlatProgram';
import { heapSpan, isWasmHeapBackend } from './wasmHeap';
import { simdKernelsOf } from './wasmSimd';
import { FlatProgram } from './webgpuFlatProgram';

/**
 * Dropout masks made in one pass, where the tensor lives. tfjs's own dropout draws uniform values
 * with its Alea generator in JavaScript (on a GPU then uploaded: a seed-preset training step spent
 * seconds there, 26x its forward pass on an H200) and turns them into a mask with three more
 * kernels. Here each value of the mask is a counter-based hash (PCG) of its index and the seed,
 * compared with the keep fraction: one shader on webgpu, one JavaScript loop elsewhere (on wasm
 * straight into its memory; several times faster than Alea, and the Add, Floor and Multiply
 * kernels are gone). Both compute the same integers, so one seed gives the same mask on every backend.
 */
export const DEVICE_DROPOUT_MASK = 'OutlierLensDropoutMask';
/**
 * Dropout applied in one pass, x times the mask without the mask as a tensor (wasm, a SIMD kernel):
 * its gradient is the same kernel on dy with the same seed, so the tape keeps no mask either.
 */
export const DEVICE_DROPOUT = 'OutlierLensDropout';

/** A value is kept when the top 24 bits of its hash fall below `keep` · 2^24. */
const HASH_FRACTION_BITS = 24;

/** Attributes of the kernel: the shape to fill, a 32-bit seed, the keep threshold and the kept values' scale. */
interface DropoutMaskAttrs {
  shape: number[];
  seed: number;
  keepBelow: number;
  scale: number;
}

/** The threshold (below which a value is kept) for a keep fraction in [0, 1]. */
export function keepThreshold(keep: number): number {
  return Math.round(keep * 2 ** HASH_FRACTION_BITS);
}

/** pcgHash's increment as a signed 32-bit integer, for arithmetic that stays in int32. */
const PCG_INCREMENT_INT32 = PCG.increment | 0;

/**
 * Fills `target[begin, end)` with the mask of indices `firstIndex`, `firstIndex` + 1, …: `scale`
 * where value i is kept (the top 24 bits of pcgHash(i ^ pcgHash(seed)) below `keepBelow`), 0 where
 * it is dropped. pcgHash is written out in int32 arithmetic, and kept-or-not is the sign bit of a
 * difference, not a branch: a branch taken at random 30 % of the time made the loop 3-4x slower
 * (7 against 1.8 ns a value).
 */
export function fillDropoutMask(target: Float32Array, seed: number, keepBelow: number, scale: number, begin = 0, end = target.length, firstIndex = 0): void {
  const seedHash = pcgHash(seed >>> 0) | 0;
  const { multiplier, outputMultiplier } = PCG;
  for (let at = begin, index = firstIndex; at < end; at++, index++) {
    const state = (Math.imul(index ^ seedHash, multiplier) + PCG_INCREMENT_INT32) | 0;
    const word = Math.imul((state >>> ((state >>> 28) + 4)) ^ state, outputMultiplier);
    // 1 when the top bits are below keepBelow (the difference is negative), else 0.
    const kept = ((((word >>> 22) ^ word) >>> (32 - HASH_FRACTION_BITS)) - keepBelow) >>> 31;
    target[at] = kept * scale;
  }
}

/** A mask value per thread: kept (scale) or dropped (0) by the hash of its index and the seed. */
class DropoutMaskProgram extends FlatProgram {
  readonly variableNames: string[] = [];
  readonly uniforms = 'seed : u32, keepBelow : u32, scale : f32,';
  readonly shaderKey = 'outlierLensDropoutMask';

  getUserCode(): string {
    return `
      fn pcgHash(value : u32) -> u32 {
        let state = value * ${PCG.multiplier}u + ${PCG.increment}u;
        let word = ((state >> ((state >> 28u) + 4u)) ^ state) * ${PCG.outputMultiplier}u;
        return (word >> 22u) ^ word;
      }
      fn main(index : i32) {
        if (index < uniforms.size) {
          let bits = pcgHash(u32(index) ^ pcgHash(uniforms.seed)) >> ${32 - HASH_FRACTION_BITS}u;
          setOutputAtIndex(index, select(0.0, uniforms.scale, bits < uniforms.keepBelow));
        }
      }
    `;
  }
}

const webgpuDropoutMask: KernelFunc = ({ backend, attrs }) => {
  const { shape, seed, keepBelow, scale } = attrs as unknown as DropoutMaskAttrs;
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(new DropoutMaskProgram([...shape]), [], 'float32', [
    { type: 'uint32', data: [seed >>> 0] },
    { type: 'uint32', data: [keepBelow] },
    { type: 'float32', data: [scale] },
  ]);
};

/** The mask filled in place in wasm memory (no JavaScript array to copy in). */
const wasmDropoutMask: KernelFunc = ({ backend, attrs }) => {
  const { shape, seed, keepBelow, scale } = attrs as unknown as DropoutMaskAttrs;
  if (!isWasmHeapBackend(backend)) {
    throw new Error(`${DEVICE_DROPOUT_MASK} (wasm) needs the wasm backend's memory`);
  }
  const mask = backend.makeOutput([...shape], 'float32');
  // A view only now: the allocation may have grown (and so detached) wasm memory.
  const span = heapSpan(backend, mask);
  fillDropoutMask(span.heap, seed, keepBelow, scale, span.start, span.start + span.length);
  return mask;
};

/**
 * x · mask on wasm by the SIMD kernel (simdPrograms.ts: 0.97 ns a value here, where the mask fill
 * alone took 2.2 and the Multiply another pass), in whole vectors; in JavaScript the last values of
 * a size not a multiple of 4, and all of them where the kernel cannot run over this memory.
 */
const wasmDropout: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const { seed, keepBelow, scale } = attrs as unknown as DropoutMaskAttrs;
  if (!isWasmHeapBackend(backend) || x.dtype !== 'float32') {
    throw new Error(`${DEVICE_DROPOUT} (wasm) needs a float32 tensor in wasm memory`);
  }
  const y = backend.makeOutput([...x.shape], 'float32');
  const count = tf.util.sizeFromShape(x.shape);
  const simd = simdKernelsOf(backend, [x]);
  const vectorized = simd ? count - (count % SIMD_LANES) : 0;
  simd?.kernels.dropout(simd.address(x), simd.address(y), vectorized, pcgHash(seed) | 0, keepBelow, scale);
  if (vectorized < count) {
    const [input, output] = [heapSpan(backend, x), heapSpan(backend, y)];
    const rest = new Float32Array(count - vectorized);
    fillDropoutMask(rest, seed, keepBelow, scale, 0, rest.length, vectorized);
    for (let index = 0; index < rest.length; index++) {
      output.heap[output.start + vectorized + index] = input.heap[input.start + vectorized + index] * rest[index];
    }
  }
  return y;
};

/** Registers the in-place mask fill on wasm, and dropout in one pass where WebAssembly SIMD compiles (idempotent). */
export function registerWasmDropout(): void {
  if (tf.getKernel(DEVICE_DROPOUT_MASK, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: DEVICE_DROPOUT_MASK, backendName: 'wasm', kernelFunc: wasmDropoutMask });
  }
  if (tf.getKernel(DEVICE_DROPOUT, 'wasm') === undefined && hasSimdKernels()) {
    tf.registerKernel({ kernelName: DEVICE_DROPOUT, backendName: 'wasm', kernelFunc: wasmDropout });
  }
}

/** Registers the dropout-mask shader on webgpu (idempotent). */
export function registerWebgpuDropoutMask(): void {
  if (tf.getKernel(DEVICE_DROPOUT_MASK, 'webgpu') === undefined) {
    tf.registerKernel({ kernelName: DEVICE_DROPOUT_MASK, backendName: 'webgpu', kernelFunc: webgpuDropoutMask });
  }
}

/** The kernels' attributes for dropout at `rate` with `seed`; refuses a rate outside [0, 1). */
function dropoutAttrs(shape: number[], rate: number, seed: number): DropoutMaskAttrs {
  if (!(rate >= 0 && rate < 1)) {
    throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  }
  return { shape, seed: seed >>> 0, keepBelow: keepThreshold(1 - rate), scale: 1 / (1 - rate) };
}

/**
 * The inverted-dropout mask of `shape`: each value 0 with probability `rate` (to 2^-24), otherwise
 * 1/(1 − rate). Made by the backend's kernel where it has one (a shader on webgpu, a fill of wasm
 * memory on wasm), otherwise filled in JavaScript and copied in.
 */
export function dropoutMask(shape: number[], rate: number, seed: number): tf.Tensor {
  const attrs = dropoutAttrs(shape, rate, seed);
  if (tf.getKernel(DEVICE_DROPOUT_MASK, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(DEVICE_DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  fillDropoutMask(values, attrs.seed, attrs.keepBelow, attrs.scale);
  return tf.tensor(values, shape, 'float32');
}

/**
 * Inverted dropout, as tf.dropout: each value zeroed with probability `rate`, the rest scaled by
 * 1/(1 − rate): one pass where the backend has {@link DEVICE_DROPOUT} (wasm), else one
 * multiplication by {@link dropoutMask}, a constant to the gradient tape; the same values either way.
 */
export function deviceDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (tf.getKernel(DEVICE_DROPOUT, tf.getBackend()) === undefined) {
    return tf.tidy(() => tf.mul(x, dropoutMask(x.shape, rate, seed)));
  }
  const attrs = dropoutAttrs(x.shape, rate, seed) as unknown as tf.NamedAttrMap;
  const applied = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor;
    return {
      value: tf.engine().runKernel(DEVICE_DROPOUT, { x: input }, attrs) as tf.Tensor,
      gradFunc: (dy: tf.Tensor) => tf.engine().runKernel(DEVICE_DROPOUT, { x: dy }, attrs) as tf.Tensor,
    };
  });
  return applied(x) as tf.Tensor;
}
