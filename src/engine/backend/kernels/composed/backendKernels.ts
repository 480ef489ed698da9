import * as tf from '@tensorflow/tfjs-core';
import type { DataId, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/** Every filter tap as (row, column), in the order the filter [KH, KW, inC, outC] lays them out. */
export function filterTaps(info: tf.backend_util.Conv2DInfo): Array<[number, number]> {
  const taps: Array<[number, number]> = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      taps.push([kh, kw]);
    }
  }
  return taps;
}

/** The one part of a backend a composed kernel needs itself: freeing what it made. */
export interface DisposingBackend {
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/**
 * How tensors are zero-padded: by the PadV2 kernel, or by concatenating zero blocks (Fill) along
 * each padded axis. The cpu PadV2 moves each element through index arrays, ~6x slower than the
 * cpu Concat's plain row copies; the wasm PadV2 (C++) is ~2x faster than its Concat route.
 */
export type ZeroPadding = 'padKernel' | 'concatZeros';

/**
 * Calls a backend's own kernels from inside another kernel. High-level tf ops must not run there:
 * the engine is inside the outer kernel, and tensors made by ops would be tracked by (and leak
 * into) the outer scope.
 */
export class BackendKernels {
  constructor(
    readonly backend: DisposingBackend,
    private readonly backendName: string,
    readonly label: string,
    readonly padding: ZeroPadding = 'padKernel',
  ) {}

  run(kernelName: string, inputs: NamedTensorInfoMap | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName) as tf.KernelConfig | undefined;
    if (kernel === undefined) {
      throw new Error(`${this.label}: the ${this.backendName} backend has no ${kernelName} kernel`);
    }
    // Concat takes its inputs as an array, as tf.concat hands them to the engine.
    const result = kernel.kernelFunc({ inputs: inputs as NamedTensorInfoMap, backend: this.backend, attrs });
    return Array.isArray(result) ? result[0] : result;
  }

  free(...infos: TensorInfo[]): void {
    for (const info of infos) {
      this.backend.disposeData(info.dataId);
    }
  }
}

/** Intermediates of one step, freed together whether the step finishes or throws. */
export class Scratch {
  private readonly held: TensorInfo[] = [];

  constructor(private readonly kernels: BackendKernels) {}

  hold(info: TensorInfo): TensorInfo {
    this.held.push(info);
    return info;
  }

  /** Takes `info` (or a view of it) back out, for the caller to own. */
  release(info: TensorInfo): TensorInfo {
    const index = this.held.findIndex((held) => held.dataId === info.dataId);
    if (index >= 0) {
      this.held.splice(index, 1);
    }
    return info;
  }

  freeAll(): void {
    this.kernels.free(...this.held.splice(0));
  }
}

/** Runs `body` with a fresh Scratch, freed when it returns or throws. */
export function withScratch<T>(kernels: BackendKernels, body: (scratch: Scratch) => T): T {
  const scratch = new Scratch(kernels);
  try {
    return body(scratch);
  } finally {
    scratch.freeAll();
  }
}

/**
 * The same data seen with another shape. Cheaper than the Reshape kernel, which bumps a reference
 * count that must then be released; a view is never freed itself, only the tensor it looks at.
 */
export function viewAs(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Zero rows or columns [before, after] on each NHWC axis; only the spatial ones are ever non-zero. */
export type NhwcPaddings = [[number, number], [number, number], [number, number], [number, number]];

/** `x` zero-padded by `paddings` (held in `scratch`), or `x` itself where there is nothing to pad. */
export function zeroPadded(kernels: BackendKernels, scratch: Scratch, x: TensorInfo, paddings: NhwcPaddings): TensorInfo {
  if (paddings.every(([before, after]) => before === 0 && after === 0)) {
    return x;
  }
  if (kernels.padding === 'padKernel') {
    return scratch.hold(kernels.run('PadV2', { x }, { paddings, constantValue: 0 }));
  }
  return [1, 2].reduce((padded, axis) => paddedAlong(kernels, scratch, padded, axis, paddings[axis]), x);
}

/** `x` with `before` and `after` zero slices joined on along `axis`, by one Concat of its rows. */
function paddedAlong(kernels: BackendKernels, scratch: Scratch, x: TensorInfo, axis: number, [before, after]: [number, number]): TensorInfo {
  if (before + after === 0) {
    return x;
  }
  const product = (sizes: number[]) => sizes.reduce((total, size) => total * size, 1);
  const outer = product(x.shape.slice(0, axis));
  const inner = product(x.shape.slice(axis + 1));
  const zeros = (count: number) =>
    scratch.hold(kernels.run('Fill', {}, { shape: [outer, count * inner], value: 0, dtype: 'float32' }));
  const pieces = [viewAs(x, [outer, x.shape[axis] * inner])];
  if (before > 0) {
    pieces.unshift(zeros(before));
  }
  if (after > 0) {
    pieces.push(zeros(after));
  }
  const shape = x.shape.map((size, index) => (index === axis ? size + before + after : size));
  return viewAs(scratch.hold(kernels.run('Concat', pieces, { axis: 1 })), shape);
}
