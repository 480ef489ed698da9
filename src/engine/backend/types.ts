/** A compute backend Outlier Lens can run TensorFlow.js on, best first. */
export type BackendName = 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

/** What the user asks for: one backend, or the best that works here. */
export type BackendChoice = 'auto' | BackendName;

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
