import { TFP_DEFAULTS } from '../pixelcnn/constants';
import type { ImageShape, PixelCnnConfig } from '../pixelcnn/types';
import type { LayerValueSource } from './pixelCnnGraph';
import { NCHWC_DOMAIN } from './nchwcLayout';
import { OnnxGraph, OnnxType } from './onnxGraph';
import { PIXEL_CNN_GRAPH_IO, pixelCnnGraph } from './pixelCnnGraph';
import { createSyncSession, hasSyncSessions } from './syncSession';

/**
 * A small network that takes every path of the graph writer: several output groups and input parts,
 * plain and blocked convolutions, padded mixture-head channels, crops, an odd-sized upsampling.
 */
const PROBE_CONFIG: PixelCnnConfig = { ...TFP_DEFAULTS, numResnet: 1, numHierarchies: 2, numFilters: 16, numLogisticMix: 2, dropoutP: 0 };
const PROBE_SHAPE: ImageShape = [5, 7, 3];
const PROBE_IMAGES = 2;

let measured: number | null | undefined;

/**
 * MLAS's NCHWc block size in this process's ONNX Runtime (16 with AVX-512, 8 with AVX2 or SSE;
 * a property of the CPU and of the runtime's build that its API tells nowhere), or null where it
 * has none or graphs written blocked at it do not give the plain graph's outputs (checked once on
 * a small network, 1e-4): graphs are then written plain. Measured once per process.
 *
 * The size is read off the runtime, not guessed: a graph blocked at a size the runtime does not
 * use can kill the process (a floating-point exception inside MLAS), not merely give wrong numbers.
 */
export function nchwcBlockSize(): number | null {
  if (measured === undefined) {
    const blockSize = hasSyncSessions() ? runtimeBlockSize() : null;
    measured = blockSize !== null && blockedGraphsAgree(blockSize) ? blockSize : null;
  }
  return measured;
}

/** The channel count ONNX Runtime's ReorderInput pads 4 channels to: one block. Null where the runtime has no NCHWc kernels. */
function runtimeBlockSize(): number | null {
  const graph = new OnnxGraph();
  const input = graph.input({ name: 'x', type: OnnxType.float, dims: [1, 4, 1, 1] });
  const [blocked] = graph.domainNode(NCHWC_DOMAIN, 'ReorderInput', [input], { channels_last: 0 });
  const [shape] = graph.node('Shape', [blocked]);
  const [asFloat] = graph.node('Cast', [shape], { to: OnnxType.float });
  graph.output(asFloat, { name: 'shape', type: OnnxType.float, dims: [4] });
  try {
    const session = createSyncSession(graph.toModel('nchwc-block-size'), 1);
    try {
      const blockSize = session?.run({ x: { values: new Float32Array(4), dims: [1, 4, 1, 1] } }, 'shape')[1];
      return blockSize !== undefined && Number.isInteger(blockSize) && blockSize >= 4 ? blockSize : null;
    } finally {
      session?.release();
    }
  } catch {
    return null;
  }
}

/** Whether the probe network written blocked at `blockSize` gives the plain graph's outputs. */
function blockedGraphsAgree(blockSize: number): boolean {
  const pixels = Uint8Array.from({ length: PROBE_IMAGES * PROBE_SHAPE[0] * PROBE_SHAPE[1] * PROBE_SHAPE[2] }, (_, i) => (i * 97 + 13) % 256);
  try {
    const reference = probeOutputs(pixelCnnGraph(PROBE_CONFIG, PROBE_SHAPE, pseudoRandomLayers(), null), pixels);
    const blocked = probeOutputs(pixelCnnGraph(PROBE_CONFIG, PROBE_SHAPE, pseudoRandomLayers(), blockSize), pixels);
    return blocked.every((values, index) => closeTo(values, reference[index]));
  } catch {
    return false;
  }
}

function probeOutputs(model: Uint8Array, pixels: Uint8Array): Float32Array[] {
  const session = createSyncSession(model, 1);
  if (!session) {
    throw new Error('no ONNX Runtime session');
  }
  try {
    const outputs = PIXEL_CNN_GRAPH_IO.outputs;
    const results = session.runAll({ [PIXEL_CNN_GRAPH_IO.pixels]: { values: pixels, dims: [PROBE_IMAGES, ...PROBE_SHAPE] } }, outputs);
    return outputs.map((name) => results[name].values);
  } finally {
    session.release();
  }
}

function closeTo(values: Float32Array, reference: Float32Array): boolean {
  return values.length === reference.length && values.every((value, i) => Math.abs(value - reference[i]) <= 1e-4 * (1 + Math.abs(reference[i])));
}

/** Weights of any shape from a fixed sequence (the same for every graph written from a new source) in (−0.5, 0.5), scaled by fan-in so that activations stay O(1). */
function pseudoRandomLayers(): LayerValueSource {
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return {
    layerValues: (_name, [kernelHeight, kernelWidth, inChannels, outChannels]) => {
      const scale = 2 / Math.sqrt(kernelHeight * kernelWidth * inChannels);
      return {
        kernel: Float32Array.from({ length: kernelHeight * kernelWidth * inChannels * outChannels }, () => next() * scale),
        bias: Float32Array.from({ length: outChannels }, () => next()),
      };
    },
  };
}
