import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { FUSED_GATE } from '../../../ops/gate';
import type { WebgpuProgramRunner } from './flatProgram';
import { FlatProgram } from './flatProgram';

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

const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const { x, gated } = inputs as { x: TensorInfo; gated: TensorInfo };
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(new GateProgram([...x.shape]), [x, gated], 'float32');
};

/** The gated resnet output as one WGSL pass. */
export const webgpuGateConfig: KernelConfig = { kernelName: FUSED_GATE, backendName: 'webgpu', kernelFunc };
