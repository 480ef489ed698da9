import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

const WORKGROUP_SIZE = 64;
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** The part of the webgpu backend a fused kernel calls. */
export interface WebgpuProgramRunner {
  runWebGPUProgram(program: object, inputs: TensorInfo[], outputDtype: 'float32'): TensorInfo;
}

/** A flat, one-value-per-thread program over `outputShape`, in the form tfjs-backend-webgpu runs. */
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
