import type { OnnxGraph } from './onnxGraph';

/** ONNX Runtime's operator domain for blocked (NCHWc) tensors: ReorderInput, ReorderOutput, Conv. */
export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

/**
 * A feature map in a graph: its value's name, its shape [N, C, H, W] (N free), and whether its
 * values are in ONNX Runtime's blocked layout (NCHWc: [N, C/B, H, W, B] for MLAS's block size B).
 */
export interface FeatureMap {
  readonly name: string;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly blocked: boolean;
}

/**
 * Where a graph's feature maps live. Without a block size, in plain NCHW: ONNX Runtime's optimiser
 * then blocks each convolution's input and unblocks its output, a copy each way around every
 * element-wise op it does not know (the exponentials and maxima of every ELU). With MLAS's block
 * size B (16 with AVX-512, 8 with AVX2; see `nchwcBlockSize`), a graph can be written blocked from
 * end to end: convolutions are the runtime's NCHWc convolutions, element-wise ops work on blocked
 * values as on any (given one layout on both sides), and channel concatenations and splits at
 * multiples of B are the same bytes in either layout. Values are unblocked only where they must be.
 */
export class BlockedLayout {
  constructor(
    private readonly graph: OnnxGraph,
    /** MLAS's block size, or null for plain NCHW throughout. */
    readonly blockSize: number | null,
  ) {}

  /** Whether `channels` fill whole blocks. */
  fits(channels: number): boolean {
    return this.blockSize !== null && channels % this.blockSize === 0;
  }

  /** `value` in the blocked layout (its channels must fill whole blocks). */
  blocked(value: FeatureMap): FeatureMap {
    if (value.blocked) {
      return value;
    }
    if (!this.fits(value.channels)) {
      throw new Error(`${value.channels} channels do not fill blocks of ${this.blockSize}`);
    }
    return { ...value, name: this.graph.domainNode(NCHWC_DOMAIN, 'ReorderInput', [value.name], { channels_last: 0 })[0], blocked: true };
  }

  /** `value` in plain NCHW. */
  plain(value: FeatureMap): FeatureMap {
    if (!value.blocked) {
      return value;
    }
    const [name] = this.graph.domainNode(NCHWC_DOMAIN, 'ReorderOutput', [value.name], { channels: value.channels, channels_last: 0 });
    return { ...value, name, blocked: false };
  }

  /** `values` in one layout: blocked where any of them is and all can be, else plain. */
  same(values: readonly FeatureMap[]): FeatureMap[] {
    const blocked = values.some((value) => value.blocked) && values.every((value) => this.fits(value.channels));
    return values.map((value) => (blocked ? this.blocked(value) : this.plain(value)));
  }
}

/**
 * A [kh, kw, Cin, Cout] kernel (TensorFlow's layout) in MLAS's order for NCHWc convolutions with
 * blocks of `blockSize`, output channels zero-padded to whole blocks: [Cout/B][Cin/B][kh][kw][B in][B out]
 * for blocked input, or [Cout/B][Cin][kh][kw][B out] for plain NCHW input (`plainInput`, fewer
 * channels than a block). The ONNX tensor's dimensions stay [Cout padded, Cin, kh, kw].
 */
export function blockedKernel(kernel: Float32Array, shape: readonly number[], blockSize: number, plainInput: boolean): Float32Array {
  const [kernelHeight, kernelWidth, inChannels, outChannels] = shape;
  const taps = kernelHeight * kernelWidth;
  const result = new Float32Array(Math.ceil(outChannels / blockSize) * blockSize * inChannels * taps);
  for (let tap = 0; tap < taps; tap++) {
    for (let input = 0; input < inChannels; input++) {
      for (let output = 0; output < outChannels; output++) {
        const outBlock = Math.floor(output / blockSize);
        const target = plainInput
          ? ((outBlock * inChannels + input) * taps + tap) * blockSize
          : (((outBlock * (inChannels / blockSize) + Math.floor(input / blockSize)) * taps + tap) * blockSize + (input % blockSize)) * blockSize;
        result[target + (output % blockSize)] = kernel[(tap * inChannels + input) * outChannels + output];
      }
    }
  }
  return result;
}

/** Input channels [inStart, inStart + inCount) and output channels [outStart, outStart + outCount) of a [kh, kw, Cin, Cout] kernel. */
export function kernelSlice(kernel: Float32Array, shape: readonly number[], inStart: number, inCount: number, outStart: number, outCount: number): Float32Array {
  const [kernelHeight, kernelWidth, inChannels, outChannels] = shape;
  const result = new Float32Array(kernelHeight * kernelWidth * inCount * outCount);
  for (let tap = 0; tap < kernelHeight * kernelWidth; tap++) {
    for (let input = 0; input < inCount; input++) {
      const from = (tap * inChannels + inStart + input) * outChannels + outStart;
      result.set(kernel.subarray(from, from + outCount), (tap * inCount + input) * outCount);
    }
  }
  return result;
}
