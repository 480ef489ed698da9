import { wasmModuleBinary } from './wasmBinary';
import type { WasmCompiledModule, WasmMemory } from './webAssemblyApi';
import { webAssembly } from './webAssemblyApi';
import { concatEluOutputGradProgram, dropoutProgram, gateGradProgram } from './simdPrograms';

/** The SIMD kernels of simdPrograms.ts, callable over one memory; arguments as their programs say. */
export interface SimdKernels {
  concatEluOutputGrad(dy: number, y: number, dx: number, pixels: number, channelBytes: number): void;
  gateGrad(dy: number, gated: number, dgated: number, pixels: number, filterBytes: number): void;
  dropout(x: number, y: number, count: number, seedHash: number, keepBelow: number, scale: number): void;
}

/** Floats in a 16-byte vector: the kernels take rows of channels that are a multiple of this. */
export const SIMD_LANES = 4;

let compiled: WasmCompiledModule | null | undefined;
const instances = new WeakMap<WasmMemory, SimdKernels | null>();

/** The module, compiled once; null where this engine has no WebAssembly SIMD. */
function simdModule(): WasmCompiledModule | null {
  if (compiled === undefined) {
    const binary = wasmModuleBinary([concatEluOutputGradProgram(), gateGradProgram(), dropoutProgram()]);
    compiled = webAssembly?.validate(binary) ? new webAssembly.Module(binary) : null;
  }
  return compiled;
}

/** Whether this engine compiles the kernels (WebAssembly with SIMD). */
export function hasSimdKernels(): boolean {
  return simdModule() !== null;
}

/**
 * The kernels instantiated over `memory` (once per memory); null without WebAssembly SIMD, or where
 * the memory cannot be imported as an unshared one (a threaded build's shared memory): callers then
 * take their fallbacks.
 */
export function simdKernelsOver(memory: WasmMemory): SimdKernels | null {
  if (!instances.has(memory)) {
    const module = simdModule();
    let kernels: SimdKernels | null = null;
    try {
      kernels = module && webAssembly ? (new webAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels) : null;
    } catch {
      kernels = null;
    }
    instances.set(memory, kernels);
  }
  return instances.get(memory) ?? null;
}
