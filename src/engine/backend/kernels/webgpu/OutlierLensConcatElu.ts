import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { CONCAT_ELU } from '../../../ops/concatElu';
import type { WebgpuProgramRunner } from './flatProgram';
import { FlatProgram } from './flatProgram';

/** elu([x, −x]): output value (pixel p, channel c) is elu(x[p, c]) for c < C, else elu(−x[p, c − C]); tfjs's elu formula. */
class ConcatEluProgram extends FlatProgram {
  readonly variableNames = ['x'];
  readonly shaderKey = 'outlierLensConcatElu';

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let channels = uniforms.xShape.w;
          let pixel = index / (2 * channels);
          let channel = index % (2 * channels);
          var value = 0.0;
          if (channel < channels) {
            value = x[pixel * channels + channel];
          } else {
            value = -x[pixel * channels + channel - channels];
          }
          setOutputAtIndex(index, select(exp(value) - 1.0, value, value >= 0.0));
        }
      }
    `;
  }
}

const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  const [batch, height, width, channels] = x.shape;
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(new ConcatEluProgram([batch, height, width, 2 * channels]), [x], 'float32');
};

/** concat_elu forward as one WGSL pass. */
export const webgpuConcatEluConfig: KernelConfig = { kernelName: CONCAT_ELU, backendName: 'webgpu', kernelFunc };
