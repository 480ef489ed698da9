import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import type { DropoutMaskAttrs } from '../../../ops/dropout';
import { DEVICE_DROPOUT_MASK, HASH_FRACTION_BITS } from '../../../ops/dropout';
import { PCG } from '../../../random/pcgHash';
import type { WebgpuProgramRunner } from './flatProgram';
import { FlatProgram } from './flatProgram';

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

const kernelFunc: KernelFunc = ({ backend, attrs }) => {
  const { shape, seed, keepBelow, scale } = attrs as unknown as DropoutMaskAttrs;
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(new DropoutMaskProgram([...shape]), [], 'float32', [
    { type: 'uint32', data: [seed >>> 0] },
    { type: 'uint32', data: [keepBelow] },
    { type: 'float32', data: [scale] },
  ]);
};

/** The dropout mask made on the GPU, the same values as ops/dropout.ts's JavaScript fill. */
export const webgpuDropoutMaskConfig: KernelConfig = { kernelName: DEVICE_DROPOUT_MASK, backendName: 'webgpu', kernelFunc };
