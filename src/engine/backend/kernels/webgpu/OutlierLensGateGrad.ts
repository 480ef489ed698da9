import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { FUSED_GATE_GRAD } from '../../../ops/gate';
import type { WebgpuProgramRunner } from './flatProgram';
import { FlatProgram } from './flatProgram';

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

const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const { dy, gated } = inputs as { dy: TensorInfo; gated: TensorInfo };
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(new GateGradProgram([...gated.shape]), [dy, gated], 'float32');
};

/** The gate's gradient as one WGSL pass. */
export const webgpuGateGradConfig: KernelConfig = { kernelName: FUSED_GATE_GRAD, backendName: 'webgpu', kernelFunc };
