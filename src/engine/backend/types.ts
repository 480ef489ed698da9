import type { BackendChoice, BackendName } from '../../protocol/detector';

export type { BackendChoice, BackendName } from '../../protocol/detector';

/** Every backend name, in the order `auto` tries them. */
export const BACKEND_PREFERENCE: readonly BackendName[] = ['webgpu', 'tensorflow', 'wasm', 'cpu'];

/** The backend in use and a description of the device behind it, for logs and the status bar. */
export interface SelectedBackend {
  readonly name: BackendName;
  /** For example "webgpu: NVIDIA H200 (vulkan)" or "wasm: XNNPACK, SIMD, 1 thread". */
  readonly description: string;
}

/** Raised when a forced backend cannot run here; `reason` says what is missing. */
export class BackendUnavailableError extends Error {
  constructor(readonly backend: BackendName, readonly reason: string) {
    super(`Backend '${backend}' is not available: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

/** Is `value` a backend choice the user may give (setting, CLI flag)? */
export function isBackendChoice(value: string): value is BackendChoice {
  return value === 'auto' || (BACKEND_PREFERENCE as readonly string[]).includes(value);
}

/**
 * Whether backends start with Outlier Lens's kernels (backend/kernels/) or, with
 * OUTLIER_LENS_KERNELS=tfjs in the environment, with tfjs's own kernels only: the baseline
 * `npm run bench:speed` measures against. Worker threads inherit the environment, so a whole run
 * uses one kind. wasm has no filter gradient of its own: it gets the composed one either way.
 */
export function usesOwnKernels(): boolean {
  return process.env.OUTLIER_LENS_KERNELS !== 'tfjs';
}

/** Whether `backend` computes on the CPU (wasm, or the JavaScript cpu backend): single-threaded in Node, one core each. */
export function isCpuBackend(backend: string): boolean {
  return backend === 'wasm' || backend === 'cpu';
}

/** The words a backend's description ends with when it runs on tfjs's kernels only. */
export const TFJS_KERNELS_NOTE = ' (tfjs kernels only)';
