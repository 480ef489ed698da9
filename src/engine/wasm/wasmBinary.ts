/*
 * A minimal WebAssembly binary writer: enough to build small SIMD kernels that run over the memory
 * of another module (tfjs-backend-wasm's), imported as env.memory. Instructions are byte arrays
 * (see wasmInstructions.ts); functions take i32/f32 parameters and return nothing.
 */

/** A value type of a parameter or local. */
export const WasmType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
/** One of {@link WasmType}'s codes. */
export type WasmType = (typeof WasmType)[keyof typeof WasmType];

/** One exported function: its parameters, extra locals and instructions (without the final `end`). */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly WasmType[];
  readonly locals: readonly WasmType[];
  readonly body: readonly number[];
}

/** LEB128 of an unsigned integer. */
export function unsignedLeb128(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return bytes;
}

/** LEB128 of a signed 32-bit integer. */
export function signedLeb128(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) {
      return bytes;
    }
  }
}

function utf8Name(name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  return [...unsignedLeb128(bytes.length), ...bytes];
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

function section(id: number, content: readonly number[]): number[] {
  return [id, ...unsignedLeb128(content.length), ...content];
}

/** Locals grouped as the format wants them: runs of one type. */
function localRuns(locals: readonly WasmType[]): number[][] {
  const runs: number[][] = [];
  for (const type of locals) {
    const last = runs[runs.length - 1];
    if (last && last[1] === type) {
      last[0]++;
    } else {
      runs.push([1, type]);
    }
  }
  return runs.map(([count, type]) => [...unsignedLeb128(count), type]);
}

/**
 * The binary of a module that imports one memory as env.memory (at least one page, no maximum, so
 * that any unshared memory fits) and exports `functions` by name, each with its own type.
 */
export function wasmModuleBinary(functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.map((fn) => [0x60, ...vector(fn.params.map((type) => [type])), 0x00]);
  const memoryImport = [...utf8Name('env'), ...utf8Name('memory'), 0x02, 0x00, 0x01];
  const bodies = functions.map((fn) => {
    const body = [...vector(localRuns(fn.locals)), ...fn.body, 0x0b];
    return [...unsignedLeb128(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, index) => unsignedLeb128(index)))),
    ...section(7, vector(functions.map((fn, index) => [...utf8Name(fn.name), 0x00, ...unsignedLeb128(index)]))),
    ...section(10, vector(bodies)),
  ]);
}
