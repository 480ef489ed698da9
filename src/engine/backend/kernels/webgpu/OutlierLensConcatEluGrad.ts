import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { CONCAT_ELU_GRAD } from '../../../ops/concatElu';
import type { WebgpuProgramRunner } from './flatProgram';
import { FlatProgram } from './flatProgram';

/** dx = dy[p, c] · elu′(x) − dy[p, C + c] · elu′(−x), with elu′(v) = 1 for v ≥ 0, else e^v (as tfjs's EluGrad). */
class ConcatEluGradProgram extends FlatProgram {
  readonly variableNames = ['dy', 'x'];
  readonly shaderKey = 'outlierLensConcatEluGrad';

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let channels = uniforms.xShape.w;
          let pixel = index / channels;
          let channel = index % channels;
          let value = x[index];
          let positive = dy[pixel * 2 * channels + channel];
          let negative = dy[pixel * 2 * channels + channels + channel];
          let slope = select(exp(value), 1.0, value >= 0.0);
          let negativeSlope = select(exp(-value), 1.0, -value >= 0.0);
          setOutputAtIndex(index, positive * slope - negative * negativeSlope);
        }
      }
    `;
  }
}

const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(new ConcatEluGradProgram([...x.shape]), [dy, x], 'float32');
};

/** concat_elu gradient as one WGSL pass. */
export const webgpuConcatEluGradConfig: KernelConfig = { kernelName: CONCAT_ELU_GRAD, backendName: 'webgpu', kernelFunc };
