import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebgpuProgramRunner } from './webgpuFlatProgram';
import { activeBackendHas, FlatProgram, registerWebgpuKernels } from './webgpuFlatProgram';

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

/** out[p, c] = x[p, c] + gated[p, c] · σ(gated[p, F + c]), σ as tfjs's Sigmoid computes it. */
class GateProgram extends FlatProgram {
  readonly variableNames = ['x', 'gated'];
  readonly shaderKey = 'outlierLensGate';

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let filters = uniforms.xShape.w;
          let pixel = index / filters;
          let channel = index % filters;
          let value = gated[pixel * 2 * filters + channel];
          let gate = gated[pixel * 2 * filters + filters + channel];
          setOutputAtIndex(index, x[index] + value / (1.0 + exp(-gate)));
        }
      }
    `;
  }
}

/** d/d value = dy · σ(gate); d/d gate = dy · value · σ(gate) · (1 − σ(gate)); laid out as `gated`. */
class GateGradProgram extends FlatProgram {
  readonly variableNames = ['dy', 'gated'];
  readonly shaderKey = 'outlierLensGateGrad';

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let filters = uniforms.dyShape.w;
          let pixel = index / (2 * filters);
          let channel = index % (2 * filters);
          let column = channel % filters;
          let upstream = dy[pixel * filters + column];
          let value = gated[pixel * 2 * filters + column];
          let sigmoid = 1.0 / (1.0 + exp(-gated[pixel * 2 * filters + filters + column]));
          if (channel < filters) {
            setOutputAtIndex(index, upstream * sigmoid);
          } else {
            setOutputAtIndex(index, upstream * value * sigmoid * (1.0 - sigmoid));
          }
        }
      }
    `;
  }
}

const webgpuGate: KernelFunc = ({ inputs, backend }) => {
  const { x, gated } = inputs as { x: TensorInfo; gated: TensorInfo };
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(new GateProgram([...x.shape]), [x, gated], 'float32');
};

const webgpuGateGrad: KernelFunc = ({ inputs, backend }) => {
  const { dy, gated } = inputs as { dy: TensorInfo; gated: TensorInfo };
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(new GateGradProgram([...gated.shape]), [dy, gated], 'float32');
};

/** Registers both kernels on webgpu (idempotent). */
export function registerWebgpuFusedGate(): void {
  registerWebgpuKernels({ [FUSED_GATE]: webgpuGate, [FUSED_GATE_GRAD]: webgpuGateGrad });
}

/** Whether the active backend has the fused kernels. */
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
