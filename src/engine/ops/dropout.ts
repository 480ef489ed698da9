import * as tf from '@tensorflow/tfjs-core';
import { PCG, pcgHash } from '../random/pcgHash';
import { activeBackendHas } from './hasKernel';

/**
 * Dropout masks made in one pass, where the tensor lives. tfjs's own dropout draws uniform values
 * with its Alea generator in JavaScript (on a GPU then uploaded: a seed-preset training step spent
 * seconds there, 26x its forward pass on an H200) and turns them into a mask with three more
 * kernels. Here each value of the mask is a counter-based hash (PCG) of its index and the seed,
 * compared with the keep fraction: one shader on webgpu, one JavaScript loop elsewhere (several
 * times faster than Alea, and the Add, Floor and Multiply kernels are gone). Both compute the same
 * integers, so one seed gives the same mask on every backend (and in the ONNX training graph).
 */
export const DEVICE_DROPOUT_MASK = 'OutlierLensDropoutMask';

/** A value is kept when the top 24 bits of its hash fall below `keep` · 2^24. */
export const HASH_FRACTION_BITS = 24;

/** Attributes of the kernel: the shape to fill, a 32-bit seed, the keep threshold and the kept values' scale. */
export interface DropoutMaskAttrs {
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

/** The kernels' attributes for dropout at `rate` with `seed`; refuses a rate outside [0, 1). */
function dropoutAttrs(shape: number[], rate: number, seed: number): DropoutMaskAttrs {
  if (!(rate >= 0 && rate < 1)) {
    throw new Error(`dropout rate must be in [0, 1), got ${rate}`);
  }
  return { shape, seed: seed >>> 0, keepBelow: keepThreshold(1 - rate), scale: 1 / (1 - rate) };
}

/**
 * The inverted-dropout mask of `shape`: each value 0 with probability `rate` (to 2^-24), otherwise
 * 1/(1 − rate). Made by the backend's kernel where it has one (a shader on webgpu), otherwise
 * filled in JavaScript and copied in.
 */
export function dropoutMask(shape: number[], rate: number, seed: number): tf.Tensor {
  const attrs = dropoutAttrs(shape, rate, seed);
  if (activeBackendHas(DEVICE_DROPOUT_MASK)) {
    return tf.engine().runKernel(DEVICE_DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  fillDropoutMask(values, attrs.seed, attrs.keepBelow, attrs.scale);
  return tf.tensor(values, shape, 'float32');
}

/**
 * Inverted dropout, as tf.dropout: each value zeroed with probability `rate`, the rest scaled by
 * 1/(1 − rate), by one multiplication with {@link dropoutMask} (a constant to the gradient tape).
 */
export function deviceDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  return tf.tidy(() => tf.mul(x, dropoutMask(x.shape, rate, seed)));
}

/**
 * Dropout over parts that together are one tensor split on the channel axis (a layer's channel
 * parts): one mask for their concatenation, so that how a layer keeps its channels apart changes no
 * mask, and a seed drops the same values on every backend and in the ONNX training graph.
 */
export function dropoutAcrossParts(parts: readonly tf.Tensor4D[], rate: number, seed: number): tf.Tensor4D[] {
  if (parts.length === 1) {
    return [deviceDropout(parts[0], rate, seed) as tf.Tensor4D];
  }
  return tf.tidy(() => {
    const [batch, height, width] = parts[0].shape;
    const channels = parts.map((part) => part.shape[3]);
    const mask = dropoutMask([batch, height, width, channels.reduce((total, count) => total + count, 0)], rate, seed);
    const pieces = tf.split(mask, channels, 3);
    return parts.map((part, index) => tf.mul(part, pieces[index]));
  });
}
