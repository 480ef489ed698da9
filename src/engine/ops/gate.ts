import * as tf from '@tensorflow/tfjs-core';
import { activeBackendHas } from './hasKernel';

/*
 * A gated resnet layer's output x + value · σ(gate), read straight from the convolution that
 * gives [value, gate] on its channel axis, as one kernel each way where a backend has them
 * (webgpu). The composite is a Split (two slices), a Sigmoid, a Mul and an Add forward and, backward,
 * the Mul's two products, the Sigmoid's three and a Concat: each a dispatch (tens of microseconds of
 * JavaScript on tfjs-webgpu) and a pass over the activations.
 */

/** The fused forward kernel: x [N, H, W, F] and gated [N, H, W, 2F] → [N, H, W, F]. */
export const FUSED_GATE = 'OutlierLensGate';
/** Its gradient with respect to `gated`: dy [N, H, W, F] and gated → [N, H, W, 2F] (x's is dy itself). */
export const FUSED_GATE_GRAD = 'OutlierLensGateGrad';

/** Whether the active backend has the fused kernels (webgpu: backend/kernels/webgpu). */
export function hasFusedGate(): boolean {
  return activeBackendHas(FUSED_GATE);
}

/**
 * x + value · σ(gate) where `gated` [N, H, W, 2F] holds value then gate on its channel axis: the
 * fused kernels where the backend has them, else tfjs's ops.
 */
export function fusedGate(x: tf.Tensor4D, gated: tf.Tensor4D): tf.Tensor4D {
  if (!hasFusedGate()) {
    return tf.tidy(() => {
      const [value, gate] = tf.split(gated, 2, 3);
      return tf.add(x, tf.mul(value, tf.sigmoid(gate)));
    });
  }
  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, both, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([both]);
    return {
      value: tf.engine().runKernel(FUSED_GATE, { x: input, gated: both }) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => [dy.clone(), tf.engine().runKernel(FUSED_GATE_GRAD, { dy, gated: saved }) as tf.Tensor4D],
    };
  });
  return fused(x, gated) as tf.Tensor4D;
}
