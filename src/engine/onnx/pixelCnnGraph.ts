import { axisWindow } from '../pixelcnn/shiftedConv';
import type { CausalKernel, NetworkOps } from '../pixelcnn/topology';
import { pixelCnnTopology } from '../pixelcnn/topology';
import type { ImageShape, PixelCnnConfig } from '../pixelcnn/types';
import { OnnxGraph, OnnxType } from './onnxGraph';

/** A feature map in the graph: its value's name and its shape [N, C, H, W] (N free). */
interface GraphValue {
  readonly name: string;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

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
 * same topology as the TensorFlow.js network ({@link pixelCnnTopology}), computed channels-first.
 */
export function pixelCnnGraph(config: PixelCnnConfig, imageShape: ImageShape, source: LayerValueSource): Uint8Array {
  const [height, width, channels] = imageShape;
  const graph = new OnnxGraph();
  const pixels = graph.input({ name: PIXEL_CNN_GRAPH_IO.pixels, type: OnnxType.uint8, dims: ['N', height, width, channels] });
  // To [-1, 1] as toUnitScale, channels first.
  const scale = 2 / (config.high - config.low);
  const [asFloat] = graph.node('Cast', [pixels], { to: OnnxType.float });
  const [scaled] = graph.node('Mul', [asFloat, graph.floats(Float32Array.of(scale), [])]);
  const [shifted] = graph.node('Sub', [scaled, graph.floats(Float32Array.of(config.low * scale + 1), [])]);
  const [unit] = graph.node('Transpose', [shifted], { perm: [0, 3, 1, 2] });
  const groups = pixelCnnTopology(graphOps(graph, config, source), config, { name: unit, channels, height, width }, channels);
  groups.forEach((group, index) => {
    const [channelsLast] = graph.node('Transpose', [group.name], { perm: [0, 2, 3, 1] });
    graph.output(channelsLast, { name: PIXEL_CNN_GRAPH_IO.outputs[index], type: OnnxType.float, dims: ['N', height, width, group.channels] });
  });
  return graph.toModel('pixelcnn');
}

/** The network's operations, recorded as ONNX nodes. */
function graphOps(graph: OnnxGraph, config: PixelCnnConfig, source: LayerValueSource): NetworkOps<GraphValue> {
  const like = (value: GraphValue, name: string): GraphValue => ({ ...value, name });
  const unary = (op: string, value: GraphValue): GraphValue => like(value, graph.node(op, [value.name])[0]);
  const binary = (op: string, a: GraphValue, b: GraphValue): GraphValue => like(a, graph.node(op, [a.name, b.name])[0]);
  const one = graph.floats(Float32Array.of(1), []);
  // elu(x) = max(x, e^−|x| − 1) and elu(−x) = max(−x, e^−|x| − 1), sharing one exponential: the
  // runtime's Elu kernel is scalar (2.3 ns an element here against 0.3–0.6 for Exp, Max and Neg).
  const belowZero = (x: GraphValue): GraphValue => like(x, graph.node('Sub', [unary('Exp', unary('Neg', unary('Abs', x))).name, one])[0]);
  const elu = (x: GraphValue): GraphValue => binary('Max', x, belowZero(x));
  const eluPair = (x: GraphValue): [GraphValue, GraphValue] => {
    const shared = belowZero(x);
    return [binary('Max', x, shared), binary('Max', unary('Neg', x), shared)];
  };
  return {
    spatialSize: (x) => [x.height, x.width],
    conv: (name, parts, kernel, outputGroups, stride) => causalConv(graph, source, name, parts, kernel, outputGroups, stride),
    convTranspose: (name, x, kernel, outHeight, outWidth) => causalConvTranspose(graph, source, name, x, kernel, outHeight, outWidth),
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

/** The channel concatenation of `parts`. */
function joined(graph: OnnxGraph, parts: readonly GraphValue[]): GraphValue {
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

function causalConv(
  graph: OnnxGraph,
  source: LayerValueSource,
  name: string,
  parts: readonly GraphValue[],
  kernel: CausalKernel,
  outputGroups: readonly number[],
  stride: 1 | 2,
): GraphValue[] {
  let input = joined(graph, parts);
  const outChannels = outputGroups.reduce((total, size) => total + size, 0);
  const shape = [kernel.height, kernel.width, input.channels, outChannels];
  const values = source.layerValues(name, shape);
  const outHeight = stride === 1 ? input.height : Math.ceil(input.height / 2);
  const outWidth = stride === 1 ? input.width : Math.ceil(input.width / 2);
  const rows = axisWindow(input.height, outHeight, kernel.height, stride, kernel.rowOffset);
  const cols = axisWindow(input.width, outWidth, kernel.width, stride, kernel.colOffset);
  const keptRows = input.height - rows.cropBefore - rows.cropAfter;
  const keptCols = input.width - cols.cropBefore - cols.cropAfter;
  if (keptRows <= 0 || keptCols <= 0) {
    throw new UnsupportedNetworkError(`layer '${name}' reads only padding on ${input.height}×${input.width} inputs`);
  }
  if (rows.cropBefore || rows.cropAfter || cols.cropBefore || cols.cropAfter) {
    const starts = graph.int64s([rows.cropBefore, cols.cropBefore]);
    const ends = graph.int64s([rows.cropBefore + keptRows, cols.cropBefore + keptCols]);
    const [cropped] = graph.node('Slice', [input.name, starts, ends, graph.int64s([2, 3])]);
    input = { name: cropped, channels: input.channels, height: keptRows, width: keptCols };
  }
  const [output] = graph.node(
    'Conv',
    [input.name, graph.floats(channelsFirstKernel(values.kernel, shape, true), [outChannels, input.channels, kernel.height, kernel.width]), graph.floats(values.bias, [outChannels])],
    { kernel_shape: [kernel.height, kernel.width], strides: [stride, stride], pads: [rows.padBefore, cols.padBefore, rows.padAfter, cols.padAfter] },
  );
  if (outputGroups.length === 1) {
    return [{ name: output, channels: outChannels, height: outHeight, width: outWidth }];
  }
  const names = graph.node('Split', [output, graph.int64s([...outputGroups])], { axis: 1 }, outputGroups.length);
  return names.map((group, index) => ({ name: group, channels: outputGroups[index], height: outHeight, width: outWidth }));
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
  x: GraphValue,
  kernel: CausalKernel,
  outHeight: number,
  outWidth: number,
): GraphValue {
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
  return { name: output, channels: x.channels, height: outHeight, width: outWidth };
}
