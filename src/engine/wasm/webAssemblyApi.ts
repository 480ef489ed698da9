/*
 * The parts of the WebAssembly JavaScript API the SIMD kernels use: the project's lib (ES2022, no
 * DOM) declares none of it, though every runtime the engine runs in (Node, Electron) has it.
 */

/** A WebAssembly.Memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** A compiled WebAssembly.Module. */
export type WasmCompiledModule = object;

interface WebAssemblyNamespace {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => WasmCompiledModule;
  readonly Instance: new (module: WasmCompiledModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The global WebAssembly namespace, or undefined where the runtime has none. */
export const webAssembly: WebAssemblyNamespace | undefined = (globalThis as { WebAssembly?: WebAssemblyNamespace }).WebAssembly;

/** Whether `value` is a WebAssembly.Memory. */
export function isWasmMemory(value: unknown): value is WasmMemory {
  return webAssembly !== undefined && value instanceof webAssembly.Memory;
}
