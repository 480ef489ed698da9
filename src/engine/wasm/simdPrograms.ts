import type { WasmFunction } from './wasmBinary';
import { WasmType } from './wasmBinary';
import type { Code } from './wasmInstructions';
import { code, control, scalar, v128 } from './wasmInstructions';
import { PCG } from '../random/pcgHash';

/*
 * The project's WebAssembly SIMD kernels: element-wise passes of a training step that tfjs or ONNX
 * Runtime would make in several passes over memory, each here one pass, four lanes at a time.
 * Arguments are byte addresses in the imported memory and counts; every row of channels must be a
 * whole number of 16-byte vectors (channels a multiple of 4), which the callers check.
 */

const { localGet, localSet, localTee, loop, block, brIf } = control;

/** `local += bytes`. */
const advance = (local: number, bytes: Code): Code => code(localGet(local), bytes, scalar.i32Add, localSet(local));
/** The v128 at address `local` (+ `extra`, a local holding a byte count, if given). */
const loadAt = (local: number, extra?: number): Code => code(localGet(local), extra === undefined ? [] : code(localGet(extra), scalar.i32Add), v128.load());
const VECTOR_BYTES = scalar.i32Const(16);

/**
 * Runs `perVector` for each 16-byte vector of each of `pixels` rows: `rowEnd` (a local) is set to
 * the end of the row of `rowLocal` (its width in bytes in `rowBytes`), and after each row
 * `afterRow` moves the pointers on; `perVector` advances its own pointers.
 */
function rowsLoop(pixels: number, rowLocal: number, rowBytes: number, rowEnd: number, perVector: Code, afterRow: Code): Code {
  return block(
    localGet(pixels),
    scalar.i32Eqz,
    brIf(0),
    loop(
      localGet(rowLocal),
      localGet(rowBytes),
      scalar.i32Add,
      localSet(rowEnd),
      loop(perVector, localGet(rowLocal), localGet(rowEnd), scalar.i32LtU, brIf(0)),
      afterRow,
      localGet(pixels),
      scalar.i32Const(1),
      scalar.i32Sub,
      localTee(pixels),
      brIf(0),
    ),
  );
}

/**
 * concatEluOutputGrad(dy, y, dx, pixels, channelBytes): concat_elu's gradient from its output
 * y = elu([x, −x]) (rows of 2C values, dy alike): dx = dy₁ · (min(y₁, 0) + 1) − dy₂ · (min(y₂, 0) + 1),
 * rows of C values; elu′ is e^v = y + 1 where the output is negative, 1 elsewhere.
 */
export function concatEluOutputGradProgram(): WasmFunction {
  const [dy, y, dx, pixels, half, rowEnd, one, zero] = [0, 1, 2, 3, 4, 5, 6, 7];
  const slopeTimesGradient = (extra?: number): Code =>
    code(loadAt(dy, extra), loadAt(y, extra), localGet(zero), v128.f32x4Pmin, localGet(one), v128.f32x4Add, v128.f32x4Mul);
  const perVector = code(
    localGet(dx),
    slopeTimesGradient(),
    slopeTimesGradient(half),
    v128.f32x4Sub,
    v128.store(),
    advance(dy, VECTOR_BYTES),
    advance(y, VECTOR_BYTES),
    advance(dx, VECTOR_BYTES),
  );
  return {
    name: 'concatEluOutputGrad',
    params: [WasmType.i32, WasmType.i32, WasmType.i32, WasmType.i32, WasmType.i32],
    locals: [WasmType.i32, WasmType.v128, WasmType.v128],
    body: code(
      scalar.f32Const(1),
      v128.f32x4Splat,
      localSet(one),
      // dx's row ends when its C values are written; dy and y then skip their second halves.
      rowsLoop(pixels, dx, half, rowEnd, perVector, code(advance(dy, localGet(half)), advance(y, localGet(half)))),
    ),
  };
}

/**
 * Cephes' expf: e^x = 2^n · e^r, n = round(x · log₂e), r = x − n · ln 2 (ln 2 in two parts), e^r a
 * polynomial. n is rounded by adding 1.5 · 2^23, which leaves it in the low bits of the sum's
 * float, from which 2^n's exponent bits follow by an integer add and shift (wasm's f32x4.nearest
 * and float-to-int conversion each take several x86 instructions).
 */
const EXP = {
  lowest: -87.3,
  highest: 88.3,
  log2e: 1.4426950408889634,
  ln2High: 0.693359375,
  ln2Low: -2.12194440e-4,
  roundingBias: 12582912,
  coefficients: [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1],
} as const;
/** Bits of float 1.5 · 2^23 (EXP.roundingBias), whose low bits then hold n, less 127 (the exponent's bias). */
const ROUNDING_BIAS_BITS_LESS_EXPONENT_BIAS = 0x4b400000 - 127;

/** Locals of the logistic function: constants splatted once, then scratch. */
interface LogisticLocals {
  readonly one: number;
  readonly constants: readonly number[];
  /** x, then n + the rounding bias, then r; `exp` keeps e^−g for the caller. */
  readonly scratch: readonly [x: number, biased: number, r: number];
  readonly exp: number;
}

const LOGISTIC_CONSTANTS = [EXP.lowest, EXP.highest, EXP.log2e, EXP.ln2High, EXP.ln2Low, EXP.roundingBias, ...EXP.coefficients];

/** Sets the logistic function's constant locals (and `one`). */
function logisticSetup(locals: LogisticLocals): Code {
  return code(
    scalar.f32Const(1),
    v128.f32x4Splat,
    localSet(locals.one),
    ...LOGISTIC_CONSTANTS.map((value, index) => code(scalar.f32Const(value), v128.f32x4Splat, localSet(locals.constants[index]))),
  );
}

/**
 * σ(g) = 1 / (1 + e^−g) of the v128 on the stack, leaving σ there and e^−g in `locals.exp` (so that
 * 1 − σ = e^−g · σ without cancellation): −g clamped to [−87.3, 88.3] (e^−g stays finite, σ within
 * float rounding of 0 or 1 beyond), e^−g as Cephes' expf (within 2 ulp), then one division.
 */
function logistic(locals: LogisticLocals): Code {
  const [lowest, highest, log2e, ln2High, ln2Low, roundingBias, ...coefficients] = locals.constants;
  const [x, biased, r] = locals.scratch;
  const horner = coefficients.slice(1).reduce<Code>((sum, coefficient) => code(sum, localGet(r), v128.f32x4Mul, localGet(coefficient), v128.f32x4Add), localGet(coefficients[0]));
  return code(
    v128.f32x4Neg,
    localGet(lowest),
    v128.f32x4Pmax,
    localGet(highest),
    v128.f32x4Pmin,
    localTee(x),
    localGet(log2e),
    v128.f32x4Mul,
    localGet(roundingBias),
    v128.f32x4Add,
    localSet(biased),
    // r = x − n · ln2High − n · ln2Low, n = biased − roundingBias (exactly)
    localGet(x),
    localGet(biased),
    localGet(roundingBias),
    v128.f32x4Sub,
    localTee(r),
    localGet(ln2High),
    v128.f32x4Mul,
    v128.f32x4Sub,
    localGet(r),
    localGet(ln2Low),
    v128.f32x4Mul,
    v128.f32x4Sub,
    localSet(r),
    // e^r ≈ horner(r) · r² + r + 1
    horner,
    localGet(r),
    localGet(r),
    v128.f32x4Mul,
    v128.f32x4Mul,
    localGet(r),
    v128.f32x4Add,
    localGet(locals.one),
    v128.f32x4Add,
    // · 2^n, its exponent bits (n + 127) << 23 from the biased sum's low bits
    localGet(biased),
    scalar.i32Const(-ROUNDING_BIAS_BITS_LESS_EXPONENT_BIAS),
    v128.i32x4Splat,
    v128.i32x4Add,
    scalar.i32Const(23),
    v128.i32x4Shl,
    v128.f32x4Mul,
    // σ = 1 / (1 + e^−g)
    localSet(locals.exp),
    localGet(locals.one),
    localGet(locals.one),
    localGet(locals.exp),
    v128.f32x4Add,
    v128.f32x4Div,
  );
}

/**
 * gateGrad(dy, gated, dgated, pixels, filterBytes): the resnet gate y = x + value · σ(gate)'s
 * gradient with respect to gated = [value, gate] (rows of 2F values; dy rows of F):
 * [dy · σ, dy · value · σ · (1 − σ)].
 */
export function gateGradProgram(): WasmFunction {
  const [dy, gated, dgated, pixels, half, rowEnd] = [0, 1, 2, 3, 4, 5];
  const [sigma, gradient, one, exp] = [6, 7, 8, 9];
  const constants = LOGISTIC_CONSTANTS.map((_, index) => 10 + index);
  const scratchStart = 10 + constants.length;
  const locals: LogisticLocals = { one, constants, scratch: [scratchStart, scratchStart + 1, scratchStart + 2], exp };
  const perVector = code(
    loadAt(gated, half),
    logistic(locals),
    localSet(sigma),
    loadAt(dy),
    localSet(gradient),
    // dvalue = dy · σ
    localGet(dgated),
    localGet(gradient),
    localGet(sigma),
    v128.f32x4Mul,
    v128.store(),
    // dgate = dy · value · σ · (1 − σ), 1 − σ = e^−g · σ
    localGet(dgated),
    localGet(half),
    scalar.i32Add,
    localGet(gradient),
    loadAt(gated),
    v128.f32x4Mul,
    localGet(sigma),
    v128.f32x4Mul,
    localGet(exp),
    localGet(sigma),
    v128.f32x4Mul,
    v128.f32x4Mul,
    v128.store(),
    advance(dy, VECTOR_BYTES),
    advance(gated, VECTOR_BYTES),
    advance(dgated, VECTOR_BYTES),
  );
  return {
    name: 'gateGrad',
    params: [WasmType.i32, WasmType.i32, WasmType.i32, WasmType.i32, WasmType.i32],
    locals: [WasmType.i32, ...Array.from({ length: 4 + constants.length + 3 }, () => WasmType.v128)],
    body: code(logisticSetup(locals), rowsLoop(pixels, dy, half, rowEnd, perVector, code(advance(gated, localGet(half)), advance(dgated, localGet(half))))),
  };
}


/**
 * dropout(x, y, count, seedHash, keepBelow, scale): y[i] = x[i] · scale where value i is kept, else 0,
 * for i in [0, count) with count a multiple of 4; kept when the top 24 bits of pcgHash(i ^ seedHash)
 * are below keepBelow: deviceRandom.ts's mask (random/pcgHash.ts), bit for bit, times x in the same pass. PCG's
 * data-dependent shift, state >>> (4 + (state >>> 28)), has no SIMD instruction: it is four
 * conditional shifts by 1, 2, 4 and 8, each chosen by a bit of state >>> 28.
 */
export function dropoutProgram(): WasmFunction {
  const [x, y, count, seedHash, keepBelow, scale] = [0, 1, 2, 3, 4, 5];
  const [end, indices, seeds, multipliers, increments, outputMultipliers, thresholds, scales, state, shifted] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const splatI32 = (value: Code, local: number): Code => code(value, v128.i32x4Splat, localSet(local));
  const conditionalShift = (bit: number): Code =>
    code(
      // lanes whose state bit 28 + bit is set: shifted left to the sign bit, then spread by an arithmetic shift
      localGet(shifted),
      scalar.i32Const(1 << bit),
      v128.i32x4ShrU,
      localGet(shifted),
      localGet(state),
      scalar.i32Const(3 - bit),
      v128.i32x4Shl,
      scalar.i32Const(31),
      v128.i32x4ShrS,
      v128.bitselect,
      localSet(shifted),
    );
  const perVector = code(
    // state = (i ^ seedHash) · multiplier + increment
    localGet(indices),
    localGet(seeds),
    v128.xor,
    localGet(multipliers),
    v128.i32x4Mul,
    localGet(increments),
    v128.i32x4Add,
    localTee(state),
    scalar.i32Const(4),
    v128.i32x4ShrU,
    localSet(shifted),
    conditionalShift(0),
    conditionalShift(1),
    conditionalShift(2),
    conditionalShift(3),
    // word = (shifted ^ state) · outputMultiplier; hash = (word >>> 22) ^ word; kept: hash >>> 8 < keepBelow
    localGet(y),
    localGet(x),
    v128.load(),
    localGet(scales),
    v128.f32x4Mul,
    localGet(shifted),
    localGet(state),
    v128.xor,
    localGet(outputMultipliers),
    v128.i32x4Mul,
    localTee(state),
    scalar.i32Const(22),
    v128.i32x4ShrU,
    localGet(state),
    v128.xor,
    scalar.i32Const(8),
    v128.i32x4ShrU,
    localGet(thresholds),
    v128.i32x4LtS,
    v128.and,
    v128.store(),
    localGet(indices),
    scalar.i32Const(4),
    v128.i32x4Splat,
    v128.i32x4Add,
    localSet(indices),
    advance(x, VECTOR_BYTES),
    advance(y, VECTOR_BYTES),
  );
  return {
    name: 'dropout',
    params: [WasmType.i32, WasmType.i32, WasmType.i32, WasmType.i32, WasmType.i32, WasmType.f32],
    locals: [WasmType.i32, ...Array.from({ length: 9 }, () => WasmType.v128)],
    body: code(
      // indices = [0, 1, 2, 3]
      scalar.i32Const(0),
      v128.i32x4Splat,
      localSet(indices),
      ...[1, 2, 3].map((lane) => code(localGet(indices), scalar.i32Const(lane), v128.i32x4ReplaceLane(lane), localSet(indices))),
      splatI32(localGet(seedHash), seeds),
      splatI32(scalar.i32Const(PCG.multiplier), multipliers),
      splatI32(scalar.i32Const(PCG.increment | 0), increments),
      splatI32(scalar.i32Const(PCG.outputMultiplier), outputMultipliers),
      splatI32(localGet(keepBelow), thresholds),
      localGet(scale),
      v128.f32x4Splat,
      localSet(scales),
      // end = x + count · 4
      localGet(x),
      localGet(count),
      scalar.i32Const(2),
      scalar.i32Shl,
      scalar.i32Add,
      localSet(end),
      block(localGet(count), scalar.i32Eqz, brIf(0), loop(perVector, localGet(x), localGet(end), scalar.i32LtU, brIf(0))),
    ),
  };
}
