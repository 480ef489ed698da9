import { axisWindow } from '../pixelcnn/shiftedConv';
import type { CausalKernel, NetworkOps } from '../pixelcnn/topology';
import { pixelCnnTopology } from '../pixelcnn/topology';
import type { ImageShape, PixelCnnConfig } from '../pixelcnn/types';
import type { FeatureMap } from './nchwcLayout';
import { BlockedLayout, blockedKernel, kernelSlice, NCHWC_DOMAIN } from './nchwcLayout';
import { OnnxGraph, OnnxType } from './onnxGraph';

/** Where the graph's weights come from: a layer's kernel [kh, kw, Cin, Cout] and bias, by layer name. */
export interface LayerValueSource {
  layerValues(name: string, kernelShape: number[]): { kernel: Float32Array; bias: Float32Array };
}

/** A network the exporter cannot write (the scorer then stays on TensorFlow.js). */
export class UnsupportedNetworkError extends Error {
  override readonly name = 'UnsupportedNetworkError';
}

/** Names of the exported graph's input and outputs. */
export const PIXEL_CNN_GRAPH_IO = {
  /** The images, uint8 [N, H, W, C] with values low..high. */
  pixels: 'pixels',
  /** The mixture head's outputs, [N, H, W, ·] each, grouped as `mixtureHeadGroups`. */
  outputs: ['logits', 'locs', 'raw_scales', 'coeffs'],
} as const;

/**
 * The PixelCNN++ network of `config` with the weights of `source`, as an ONNX model: uint8 images
 * [N, H, W, C] in, the mixture head's outputs out (NHWC, grouped as `mixtureHeadGroups`). The
 * same topology as the TensorFlow.js network ({@link pixelCnnTopology}), computed channels-first;
 * with MLAS's `blockSize` (see `nchwcBlockSize`), blocked from end to end (see {@link BlockedLayout}).
 */
export function pixelCnnGraph(config: PixelCnnConfig, imageShape: ImageShape, source: LayerValueSource, blockSize: number | null = null): Uint8Array {
  const [height, width, channels] = imageShape;
  const graph = new OnnxGraph();
  const layout = new BlockedLayout(graph, blockSize);
  const pixels = graph.input({ name: PIXEL_CNN_GRAPH_IO.pixels, type: OnnxType.uint8, dims: ['N', height, width, channels] });
  // To [-1, 1] as toUnitScale, channels first.
  const scale = 2 / (config.high - config.low);
  const [asFloat] = graph.node('Cast', [pixels], { to: OnnxType.float });
  const [scaled] = graph.node('Mul', [asFloat, graph.floats(Float32Array.of(scale), [])]);
  const [shifted] = graph.node('Sub', [scaled, graph.floats(Float32Array.of(config.low * scale + 1), [])]);
  const [unit] = graph.node('Transpose', [shifted], { perm: [0, 3, 1, 2] });
  const image: FeatureMap = { name: unit, channels, height, width, blocked: false };
  const groups = pixelCnnTopology(graphOps(graph, layout, config, source), config, image, channels);
  groups.forEach((group, index) => {
    const [channelsLast] = graph.node('Transpose', [layout.plain(group).name], { perm: [0, 2, 3, 1] });
    graph.output(channelsLast, { name: PIXEL_CNN_GRAPH_IO.outputs[index], type: OnnxType.float, dims: ['N', height, width, group.channels] });
  });
  return graph.toModel('pixelcnn');
}

/** The network's operations, recorded as ONNX nodes. */
function graphOps(graph: OnnxGraph, layout: BlockedLayout, config: PixelCnnConfig, source: LayerValueSource): NetworkOps<FeatureMap> {
  const like = (value: FeatureMap, name: string): FeatureMap => ({ ...value, name });
  const unary = (op: string, value: FeatureMap): FeatureMap => like(value, graph.node(op, [value.name])[0]);
  const binary = (op: string, a: FeatureMap, b: FeatureMap): FeatureMap => {
    const [left, right] = layout.same([a, b]);
    return like(left, graph.node(op, [left.name, right.name])[0]);
  };
  const one = graph.floats(Float32Array.of(1), []);
  // elu(x) = max(x, e^−|x| − 1) and elu(−x) = max(−x, e^−|x| − 1), sharing one exponential: the
  // runtime's Elu kernel is scalar (2.3 ns an element here against 0.3–0.6 for Exp, Max and Neg).
  const belowZero = (x: FeatureMap, negated: FeatureMap): FeatureMap => like(x, graph.node('Sub', [unary('Exp', binary('Min', x, negated)).name, one])[0]);
  const elu = (x: FeatureMap): FeatureMap => binary('Max', x, belowZero(x, unary('Neg', x)));
  const eluPair = (x: FeatureMap): [FeatureMap, FeatureMap] => {
    const negated = unary('Neg', x);
    const shared = belowZero(x, negated);
    return [binary('Max', x, shared), binary('Max', negated, shared)];
  };
  return {
    spatialSize: (x) => [x.height, x.width],
    conv: (name, parts, kernel, outputGroups, stride) => causalConv(graph, layout, source, name, parts, kernel, outputGroups, stride),
    // The runtime has no blocked transposed convolution: unblocked in, blocked again at once (its uses are blocked).
    convTranspose: (name, x, kernel, outHeight, outWidth) => {
      const output = causalConvTranspose(graph, source, name, layout.plain(x), kernel, outHeight, outWidth);
      return layout.fits(output.channels) ? layout.blocked(output) : output;
    },
    activate: (parts) => {
      switch (config.resnetActivation) {
        case 'concat_elu': {
          const pairs = parts.map((part) => eluPair(part));
          return [...pairs.map(([positive]) => positive), ...pairs.map(([, negative]) => negative)];
        }
        case 'elu':
          return parts.map(elu);
        case 'relu':
          return parts.map((part) => unary('Relu', part));
      }
    },
    dropout: (parts) => [...parts],
    add: (a, b) => binary('Add', a, b),
    gate: (x, value, gate) => binary('Add', x, binary('Mul', value, unary('Sigmoid', gate))),
    elu,
    layer: (build) => build(),
  };
}

/** The channel concatenation of `parts` (in one layout). */
function joined(graph: OnnxGraph, parts: readonly FeatureMap[]): FeatureMap {
  if (parts.length === 1) {
    return parts[0];
  }
  const channels = parts.reduce((total, part) => total + part.channels, 0);
  return { ...parts[0], name: graph.node('Concat', parts.map((part) => part.name), { axis: 1 })[0], channels };
}

/**
 * A [kh, kw, Cin, Cout] kernel (TensorFlow's layout) as [Cout, Cin, kh, kw] (ONNX Conv's,
 * `outputFirst`) or [Cin, Cout, kh, kw] (ONNX ConvTranspose's, where Cin adds into Cout).
 */
function channelsFirstKernel(kernel: Float32Array, shape: readonly number[], outputFirst: boolean): Float32Array {
  const [kernelHeight, kernelWidth, inChannels, outChannels] = shape;
  const result = new Float32Array(kernel.length);
  for (let row = 0; row < kernelHeight; row++) {
    for (let col = 0; col < kernelWidth; col++) {
      for (let input = 0; input < inChannels; input++) {
        for (let output = 0; output < outChannels; output++) {
          const leading = outputFirst ? output * inChannels + input : input * outChannels + output;
          result[(leading * kernelHeight + row) * kernelWidth + col] = kernel[((row * kernelWidth + col) * inChannels + input) * outChannels + output];
        }
      }
    }
  }
  return result;
}

/**
 * The causal convolution `name` over the channel concatenation of `parts`, split into `outputGroups`.
 * Blocked where the layout has blocks, the groups fill them and the parts do (or are fewer channels
 * than a block): one NCHWc convolution per group and part, each part's product added onto the
 * previous one's in place (the runtime's Sum input): no concatenation, no split. Otherwise one
 * convolution, NCHWc where it can read its input, then a split.
 */
function causalConv(
  graph: OnnxGraph,
  layout: BlockedLayout,
  source: LayerValueSource,
  name: string,
  parts: readonly FeatureMap[],
  kernel: CausalKernel,
  outputGroups: readonly number[],
  stride: 1 | 2,
): FeatureMap[] {
  const inChannels = parts.reduce((total, part) => total + part.channels, 0);
  const outChannels = outputGroups.reduce((total, size) => total + size, 0);
  const shape = [kernel.height, kernel.width, inChannels, outChannels];
  const values = source.layerValues(name, shape);
  const { height, width } = parts[0];
  const outHeight = stride === 1 ? height : Math.ceil(height / 2);
  const outWidth = stride === 1 ? width : Math.ceil(width / 2);
  const rows = axisWindow(height, outHeight, kernel.height, stride, kernel.rowOffset);
  const cols = axisWindow(width, outWidth, kernel.width, stride, kernel.colOffset);
  const keptRows = height - rows.cropBefore - rows.cropAfter;
  const keptCols = width - cols.cropBefore - cols.cropAfter;
  if (keptRows <= 0 || keptCols <= 0) {
    throw new UnsupportedNetworkError(`layer '${name}' reads only padding on ${height}×${width} inputs`);
  }
  const crops = keptRows < height || keptCols < width;
  const conv: ConvSpec = {
    graph,
    values,
    shape,
    attributes: { kernel_shape: [kernel.height, kernel.width], strides: [stride, stride], pads: [rows.padBefore, cols.padBefore, rows.padAfter, cols.padAfter] },
    output: { height: outHeight, width: outWidth },
  };
  const blockSize = layout.blockSize;
  if (blockSize !== null && !crops && outputGroups.every((size) => layout.fits(size))) {
    if (inChannels < blockSize) {
      return blockedGroupConvs(conv, blockSize, [joined(graph, parts.map((part) => layout.plain(part)))], outputGroups);
    }
    if (parts.every((part) => layout.fits(part.channels))) {
      return blockedGroupConvs(conv, blockSize, parts.map((part) => layout.blocked(part)), outputGroups);
    }
  }
  let input = joined(graph, layout.same(parts));
  if (crops) {
    const starts = graph.int64s([rows.cropBefore, cols.cropBefore]);
    const ends = graph.int64s([rows.cropBefore + keptRows, cols.cropBefore + keptCols]);
    const [cropped] = graph.node('Slice', [layout.plain(input).name, starts, ends, graph.int64s([2, 3])]);
    input = { name: cropped, channels: input.channels, height: keptRows, width: keptCols, blocked: false };
  }
  let result: FeatureMap;
  if (blockSize !== null && (input.channels < blockSize || layout.fits(input.channels))) {
    // Output channels padded to whole blocks (e.g. the mixture head's few), unblocked to the true count.
    const blockedInput = input.channels < blockSize ? layout.plain(input) : layout.blocked(input);
    const paddedChannels = Math.ceil(outChannels / blockSize) * blockSize;
    const bias = new Float32Array(paddedChannels);
    bias.set(values.bias);
    const [output] = graph.domainNode(NCHWC_DOMAIN, 'Conv', [
      blockedInput.name,
      graph.floats(blockedKernel(values.kernel, shape, blockSize, !blockedInput.blocked), [paddedChannels, input.channels, kernel.height, kernel.width]),
      graph.floats(bias, [paddedChannels]),
    ], conv.attributes);
    result = { name: output, channels: outChannels, ...conv.output, blocked: true };
    if (paddedChannels !== outChannels) {
      result = layout.plain(result);
    }
  } else {
    const [output] = graph.node('Conv', [
      layout.plain(input).name,
      graph.floats(channelsFirstKernel(values.kernel, shape, true), [outChannels, input.channels, kernel.height, kernel.width]),
      graph.floats(values.bias, [outChannels]),
    ], conv.attributes);
    result = { name: output, channels: outChannels, ...conv.output, blocked: false };
  }
  if (outputGroups.length === 1) {
    return [result];
  }
  const split = outputGroups.every((size) => layout.fits(size)) ? result : layout.plain(result);
  const names = graph.node('Split', [split.name, graph.int64s([...outputGroups])], { axis: 1 }, outputGroups.length);
  return names.map((group, index) => ({ ...split, name: group, channels: outputGroups[index] }));
}

/** One convolution layer's weights, attributes and output size, as `causalConv` writes it. */
interface ConvSpec {
  readonly graph: OnnxGraph;
  readonly values: { kernel: Float32Array; bias: Float32Array };
  /** The kernel's shape [kh, kw, Cin, Cout]. */
  readonly shape: readonly number[];
  readonly attributes: Readonly<Record<string, readonly number[]>>;
  readonly output: { readonly height: number; readonly width: number };
}

/**
 * `conv` as NCHWc convolutions, one per output group and input part (each part blocked, or one
 * plain part of fewer channels than a block), summed over the parts in place; the bias is added once.
 */
function blockedGroupConvs(conv: ConvSpec, blockSize: number, parts: readonly FeatureMap[], outputGroups: readonly number[]): FeatureMap[] {
  const [kernelHeight, kernelWidth] = conv.shape;
  let outStart = 0;
  return outputGroups.map((size) => {
    let sum: string | null = null;
    let inStart = 0;
    for (const part of parts) {
      const partShape = [kernelHeight, kernelWidth, part.channels, size];
      const partKernel = blockedKernel(kernelSlice(conv.values.kernel, conv.shape, inStart, part.channels, outStart, size), partShape, blockSize, !part.blocked);
      const inputs = [part.name, conv.graph.floats(partKernel, [size, part.channels, kernelHeight, kernelWidth])];
      inputs.push(...(sum === null ? [conv.graph.floats(conv.values.bias.slice(outStart, outStart + size), [size])] : ['', sum]));
      [sum] = conv.graph.domainNode(NCHWC_DOMAIN, 'Conv', inputs, conv.attributes);
      inStart += part.channels;
    }
    outStart += size;
    return { name: sum as string, channels: size, ...conv.output, blocked: true };
  });
}

/** Padding at the end of a stride-2 transposed axis that trims it to `outputSize`; null where it falls short. */
function transposedPadAfter(inputSize: number, kernelSize: number, padBefore: number, outputSize: number): number | null {
  const reach = 2 * (inputSize - 1) + kernelSize - padBefore;
  return reach >= outputSize ? reach - outputSize : null;
}

function causalConvTranspose(
  graph: OnnxGraph,
  source: LayerValueSource,
  name: string,
  x: FeatureMap,
  kernel: CausalKernel,
  outHeight: number,
  outWidth: number,
): FeatureMap {
  const shape = [kernel.height, kernel.width, x.channels, x.channels];
  const values = source.layerValues(name, shape);
  const padTop = -kernel.rowOffset;
  const padLeft = -kernel.colOffset;
  const padBottom = transposedPadAfter(x.height, kernel.height, padTop, outHeight);
  const padRight = transposedPadAfter(x.width, kernel.width, padLeft, outWidth);
  // Every valid receptive field (rows and cols ≥ 3) reaches the finer size; a kernel that did not would leave bias-only rows.
  if (padTop < 0 || padLeft < 0 || padBottom === null || padRight === null) {
    throw new UnsupportedNetworkError(`layer '${name}' does not map ${x.height}×${x.width} onto ${outHeight}×${outWidth}`);
  }
  const [output] = graph.node(
    'ConvTranspose',
    [x.name, graph.floats(channelsFirstKernel(values.kernel, shape, false), [x.channels, x.channels, kernel.height, kernel.width]), graph.floats(values.bias, [x.channels])],
    { kernel_shape: [kernel.height, kernel.width], strides: [2, 2], pads: [padTop, padLeft, padBottom, padRight] },
  );
  return { name: output, channels: x.channels, height: outHeight, width: outWidth, blocked: false };
}
