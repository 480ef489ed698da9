import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { WebgpuProgramRunner } from './webgpuFlatProgram';
import { FlatProgram } from './webgpuFlatProgram';

/**
 * Dropout masks made in one pass, where the tensor lives. tfjs's own dropout draws uniform values
 * with its Alea generator in JavaScript (on a GPU then uploaded: a seed-preset training step spent
 * seconds there, 26x its forward pass on an H200) and turns them into a mask with three more
 * kernels. Here each value of the mask is a counter-based hash (PCG) of its index and the seed,
 * compared with the keep fraction: one shader on webgpu, one JavaScript loop elsewhere (2x faster
 * than Alea on wasm, and the Add, Floor and Multiply kernels are gone). Both compute the same
 * integers, so one seed gives the same mask on every backend.
 */
export const DEVICE_DROPOUT_MASK = 'OutlierLensDropoutMask';

/** A value is kept when the top 24 bits of its hash fall below `keep` · 2^24. */
const HASH_FRACTION_BITS = 24;

/** Attributes of the kernel: the shape to fill, a 32-bit seed, the keep threshold and the kept values' scale. */
interface DropoutMaskAttrs {
  shape: number[];
  seed: number;
  keepBelow: number;
  scale: number;
}

/** PCG's output hash of a 32-bit value (O'Neill's pcg32 RXS-M-XS, as in Jarzynski & Olano 2020). */
export function pcgHash(value: number): number {
  const state = (Math.imul(value, 747796405) + 2891336453) | 0;
  const word = Math.imul((state >>> ((state >>> 28) + 4)) ^ state, 277803737);
  return ((word >>> 22) ^ word) >>> 0;
}

/** The threshold (below which a value is kept) for a keep fraction in [0, 1]. */
function keepThreshold(keep: number): number {
  return Math.round(keep * 2 ** HASH_FRACTION_BITS);
}

/** Fills `target` with the mask: `scale` where value i is kept, 0 where it is dropped. */
export function fillDropoutMask(target: Float32Array, seed: number, keepBelow: number, scale: number): void {
  const seedHash = pcgHash(seed >>> 0);
  for (let index = 0; index < target.length; index++) {
    target[index] = pcgHash((index ^ seedHash) >>> 0) >>> (32 - HASH_FRACTION_BITS) < keepBelow ? scale : 0;
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
        let state = value * 747796405u + 2891336453u;
        let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
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

/** Registers the dropout-mask shader on webgpu (idempotent). */
export function registerWebgpuDropoutMask(): void {
  if (tf.getKernel(DEVICE_DROPOUT_MASK, 'webgpu') === undefined) {
    tf.registerKernel({ kernelName: DEVICE_DROPOUT_MASK, backendName: 'webgpu', kernelFunc: webgpuDropoutMask });
  }
}

/**
 * The inverted-dropout mask of `shape`: each value 0 with probability `rate` (to 2^-24), otherwise
 * 1/(1 − rate). Made by the backend's shader where it has one, otherwise filled in JavaScript.
 */
export function dropoutMask(shape: number[], rate: number, seed: number): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) {
    throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  }
  const attrs: DropoutMaskAttrs = { shape, seed: seed >>> 0, keepBelow: keepThreshold(1 - rate), scale: 1 / (1 - rate) };
  if (tf.getKernel(DEVICE_DROPOUT_MASK, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(DEVICE_DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  fillDropoutMask(values, attrs.seed, attrs.keepBelow, attrs.scale);
  return tf.tensor(values, shape, 'float32');
}

/**
 * Inverted dropout, as tf.dropout: each value zeroed with probability `rate`, the rest scaled by
 * 1/(1 − rate); one multiplication by {@link dropoutMask}, which is a constant to the gradient tape.
 */
export function deviceDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  return tf.tidy(() => tf.mul(x, dropoutMask(x.shape, rate, seed)));
}
