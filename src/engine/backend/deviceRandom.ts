import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Uniform random numbers made where the tensor lives. tfjs's own randomUniform draws every value
 * in JavaScript and uploads them: on a GPU, a seed-preset training step spends seconds there (its
 * dropout masks hold ~1.2 M values per image), 26x longer than the forward pass. On webgpu a
 * counter-based hash (PCG) fills the tensor in one shader; other backends keep tf.randomUniform.
 */
export const DEVICE_RANDOM_UNIFORM = 'OutlierLensRandomUniform';

/** Attributes of the kernel: the shape to fill and a 32-bit seed. */
interface DeviceRandomAttrs {
  shape: number[];
  seed: number;
}

/** The part of the webgpu backend the kernel calls: running one WGSL program. */
interface WebgpuProgramRunner {
  runWebGPUProgram(program: object, inputs: TensorInfo[], outputDtype: 'float32', uniforms: Array<{ type: 'uint32'; data: number[] }>): TensorInfo;
}

const WORKGROUP_SIZE = 64;
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** A flat, one-value-per-thread WGSL program in the form tfjs-backend-webgpu runs (see its FillProgram). */
class UniformProgram {
  readonly variableNames: string[] = [];
  readonly uniforms = 'seed : u32,';
  readonly workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  readonly size = true;
  readonly shaderKey = 'outlierLensUniform';
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];

  constructor(readonly outputShape: number[]) {
    this.dispatchLayout = { x: outputShape.map((_, axis) => axis) };
    const groups = Math.ceil(tf.util.sizeFromShape(outputShape) / WORKGROUP_SIZE);
    // Past 65535 workgroups in x, the rest go to y (the backend's getGlobalIndex counts both).
    const columns = Math.min(groups, MAX_WORKGROUPS_PER_DIMENSION);
    this.dispatch = [columns, Math.ceil(groups / columns), 1];
  }

  getUserCode(): string {
    return `
      fn pcgHash(value : u32) -> u32 {
        let state = value * 747796405u + 2891336453u;
        let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
        return (word >> 22u) ^ word;
      }
      fn main(index : i32) {
        if (index < uniforms.size) {
          let bits = pcgHash(u32(index) ^ pcgHash(uniforms.seed));
          // 24 random bits: every value a float32 holds exactly, in [0, 1).
          setOutputAtIndex(index, f32(bits >> 8u) / 16777216.0);
        }
      }
    `;
  }
}

const webgpuRandomUniform: KernelFunc = ({ backend, attrs }) => {
  const { shape, seed } = attrs as unknown as DeviceRandomAttrs;
  const program = new UniformProgram(shape);
  return (backend as unknown as WebgpuProgramRunner).runWebGPUProgram(program, [], 'float32', [{ type: 'uint32', data: [seed >>> 0] }]);
};

/** Registers the device random kernel on webgpu (idempotent). */
export function registerWebgpuRandomUniform(): void {
  if (tf.getKernel(DEVICE_RANDOM_UNIFORM, 'webgpu') === undefined) {
    tf.registerKernel({ kernelName: DEVICE_RANDOM_UNIFORM, backendName: 'webgpu', kernelFunc: webgpuRandomUniform });
  }
}

/** Uniform values in [0, 1) of `shape`, made on the device where the backend can. `seed` picks the stream. */
export function deviceRandomUniform(shape: number[], seed: number): tf.Tensor {
  if (tf.getKernel(DEVICE_RANDOM_UNIFORM, tf.getBackend()) === undefined) {
    return tf.randomUniform(shape, 0, 1, 'float32', seed);
  }
  const attrs: DeviceRandomAttrs = { shape, seed };
  return tf.engine().runKernel(DEVICE_RANDOM_UNIFORM, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/**
 * Inverted dropout: each value zeroed with probability `rate`, the rest scaled by 1/(1 − rate), as
 * tf.dropout, with its mask drawn on the device. The mask is a constant to the gradient tape.
 */
export function deviceDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const keep = 1 - rate;
    const mask = tf.floor(tf.add(deviceRandomUniform(x.shape, seed), keep));
    return tf.mul(x, tf.mul(mask, 1 / keep));
  });
}
