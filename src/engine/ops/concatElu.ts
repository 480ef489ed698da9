import * as tf from '@tensorflow/tfjs-core';
import { activeBackendHas } from './hasKernel';

/*
 * concat_elu(x) = elu([x, −x]) on the channel axis, as one kernel each way where a backend has
 * them (webgpu): the composite is a Neg, two Elus and a Concat forward and a Split, two EluGrads, a
 * Neg and an Add backward, each a dispatch that costs tfjs-webgpu tens of microseconds of
 * JavaScript and a pass over the activations.
 */

/** The fused forward kernel: x [N, H, W, C] → [N, H, W, 2C]. */
export const CONCAT_ELU = 'OutlierLensConcatElu';
/** Its gradient: dy [N, H, W, 2C] and x → dx [N, H, W, C]. */
export const CONCAT_ELU_GRAD = 'OutlierLensConcatEluGrad';

/** Whether the active backend has the fused kernels (webgpu: backend/kernels/webgpu). */
export function hasFusedConcatElu(): boolean {
  return activeBackendHas(CONCAT_ELU);
}

/**
 * concat_elu(x) = elu([x, −x]) on the channel axis: the fused kernels where the backend has them,
 * else tfjs's ops.
 */
export function concatElu(x: tf.Tensor4D): tf.Tensor4D {
  if (activeBackendHas(CONCAT_ELU)) {
    const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
      save([input]);
      return {
        value: tf.engine().runKernel(CONCAT_ELU, { x: input }) as tf.Tensor4D,
        gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.engine().runKernel(CONCAT_ELU_GRAD, { dy, x: saved }) as tf.Tensor4D,
      };
    });
    return fused(x) as tf.Tensor4D;
  }
  return tf.tidy(() => tf.elu(tf.concat([x, tf.neg(x)], 3)));
}
