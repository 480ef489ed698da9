import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

const WORKGROUP_SIZE = 64;
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** A value of a program's own uniforms (its `uniforms` declaration, in order). */
export interface ProgramUniform {
  type: 'int32' | 'uint32' | 'float32';
  data: number[];
}

/** The part of the webgpu backend Outlier Lens's kernels call: running one WGSL program. */
export interface WebgpuProgramRunner {
  runWebGPUProgram(program: object, inputs: TensorInfo[], outputDtype: 'float32', uniforms?: ProgramUniform[]): TensorInfo;
}

/**
 * A flat, one-value-per-thread program over `outputShape`, in the form tfjs-backend-webgpu runs
 * (see its FillProgram): `main(index)` computes output value `index` of `uniforms.size`.
 */
export abstract class FlatProgram {
  readonly workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  readonly size = true;
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  abstract readonly variableNames: string[];
  abstract readonly shaderKey: string;

  constructor(readonly outputShape: number[]) {
    this.dispatchLayout = { x: outputShape.map((_, axis) => axis) };
    const groups = Math.ceil(tf.util.sizeFromShape(outputShape) / WORKGROUP_SIZE);
    // Past 65535 workgroups in x, the rest go to y (the backend's getGlobalIndex counts both).
    const columns = Math.min(groups, MAX_WORKGROUPS_PER_DIMENSION);
    this.dispatch = [columns, Math.ceil(groups / columns), 1];
  }

  abstract getUserCode(): string;
}

/** Registers each of `kernels` (name → function) on webgpu, unless the first is there already. */
export function registerWebgpuKernels(kernels: Readonly<Record<string, KernelFunc>>): void {
  const [first] = Object.keys(kernels);
  if (first === undefined || tf.getKernel(first, 'webgpu') !== undefined) {
    return;
  }
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc });
  }
}

