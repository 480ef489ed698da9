import { signedLeb128, unsignedLeb128 } from './wasmBinary';

/*
 * WebAssembly instructions as bytes, named as in the specification (i32.add → i32Add). Only those
 * the project's kernels use; SIMD opcodes from the fixed-width SIMD proposal as standardised.
 */

/** One instruction's (or a sequence's) bytes. */
export type Code = readonly number[];

const simd = (opcode: number): Code => [0xfd, ...unsignedLeb128(opcode)];
/** v128 loads and stores: alignment hint 4 bytes (tensors are float-aligned), then the constant offset. */
const memoryAccess = (opcode: number, offset: number): Code => [0xfd, ...unsignedLeb128(opcode), 2, ...unsignedLeb128(offset)];

/** Concatenates instruction sequences. */
export function code(...parts: readonly Code[]): number[] {
  return parts.flat();
}

/** Control flow and locals. */
export const control = {
  block: (...body: Code[]): Code => [0x02, 0x40, ...code(...body), 0x0b],
  loop: (...body: Code[]): Code => [0x03, 0x40, ...code(...body), 0x0b],
  brIf: (depth: number): Code => [0x0d, ...unsignedLeb128(depth)],
  localGet: (index: number): Code => [0x20, ...unsignedLeb128(index)],
  localSet: (index: number): Code => [0x21, ...unsignedLeb128(index)],
  localTee: (index: number): Code => [0x22, ...unsignedLeb128(index)],
};

/** Scalar i32 and f32 arithmetic. */
export const scalar = {
  i32Const: (value: number): Code => [0x41, ...signedLeb128(value)],
  f32Const: (value: number): Code => [0x43, ...new Uint8Array(Float32Array.of(value).buffer)],
  i32Eqz: [0x45] as Code,
  i32LtU: [0x49] as Code,
  i32Add: [0x6a] as Code,
  i32Sub: [0x6b] as Code,
  i32Shl: [0x74] as Code,
};

/** 128-bit SIMD: four f32 or i32 lanes. */
export const v128 = {
  load: (offset = 0): Code => memoryAccess(0x00, offset),
  store: (offset = 0): Code => memoryAccess(0x0b, offset),
  i32x4Splat: simd(0x11),
  f32x4Splat: simd(0x13),
  /** Replaces lane `lane` of the v128 under the i32 on the stack. */
  i32x4ReplaceLane: (lane: number): Code => [...simd(0x1c), lane],
  i32x4LtS: simd(0x39),
  and: simd(0x4e),
  xor: simd(0x51),
  bitselect: simd(0x52),
  i32x4Shl: simd(0xab),
  i32x4ShrS: simd(0xac),
  i32x4ShrU: simd(0xad),
  i32x4Add: simd(0xae),
  i32x4Mul: simd(0xb5),
  f32x4Neg: simd(0xe1),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  /** Pseudo-minimum b < a ? b : a: one x86 minps, where f32x4.min's NaN rules take several instructions. */
  f32x4Pmin: simd(0xea),
  /** Pseudo-maximum a < b ? b : a (maxps). */
  f32x4Pmax: simd(0xeb),
};
