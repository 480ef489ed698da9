import type { KernelPlacement } from './shiftedConv';
import type { PixelCnnConfig } from './types';

/** A causal kernel: its size and where it sits relative to the pixel it feeds (see KernelPlacement). */
export interface CausalKernel extends KernelPlacement {
  readonly height: number;
  readonly width: number;
}

/** The causal kernels of one receptive field, as shifted (not masked) convolutions. */
interface KernelGeometry {
  readonly verticalInit: CausalKernel;
  readonly horizontalInitUp: CausalKernel;
  readonly horizontalInitLeft: CausalKernel;
  readonly vertical: CausalKernel;
  readonly horizontal: CausalKernel;
  readonly verticalUpsample: CausalKernel;
  readonly horizontalUpsample: CausalKernel;
}

/**
 * The unmasked parts of TFP's masked kernels for a receptive field of `rows` × `cols`: the
 * vertical stack sees rows above (and, inside the net, the current row, already shifted down by
 * its first layer); the horizontal stack sees the row above and pixels to the left.
 */
export function kernelGeometry(rows: number, cols: number): KernelGeometry {
  const half = Math.floor(cols / 2);
  return {
    verticalInit: { height: rows - 1, width: cols, rowOffset: -(rows - 1), colOffset: -half },
    horizontalInitUp: { height: 1, width: cols, rowOffset: -1, colOffset: -half },
    horizontalInitLeft: { height: 2, width: half, rowOffset: -1, colOffset: -half },
    vertical: { height: rows - 1, width: cols, rowOffset: -(rows - 2), colOffset: -half },
    horizontal: { height: 2, width: half + 1, rowOffset: -1, colOffset: -half },
    verticalUpsample: { height: rows - 1, width: cols, rowOffset: 0, colOffset: -half },
    horizontalUpsample: { height: 2, width: half + 1, rowOffset: 0, colOffset: 0 },
  };
}

/** The kernel of a per-pixel dense layer: a 1×1 convolution at the pixel itself. */
export const POINTWISE: CausalKernel = { height: 1, width: 1, rowOffset: 0, colOffset: 0 };

/**
 * The operations the network is written in, over feature maps of type `T` with `numFilters`
 * channels (or the image's). TensorFlow.js computes them eagerly (`network.ts`); the ONNX exporter
 * records them as a graph (`../onnx`). Layer `name`s name the weights in the model's store.
 */
export interface NetworkOps<T> {
  /** Height and width of a feature map. */
  spatialSize(x: T): readonly [height: number, width: number];
  /**
   * The causal convolution `name` over the channel concatenation of `parts`, keeping the size
   * (stride 1) or halving it rounding up (stride 2), one output per entry of `outputGroups` (channel
   * counts). `partsAreData`: the parts are the image, which training needs no gradient of.
   */
  conv(name: string, parts: readonly T[], kernel: CausalKernel, outputGroups: readonly number[], stride: 1 | 2, partsAreData: boolean): T[];
  /** The causal stride-2 transposed convolution `name`, up to `outHeight` × `outWidth`. */
  convTranspose(name: string, x: T, kernel: CausalKernel, outHeight: number, outWidth: number): T;
  /** The resnet activation of channel parts (`concat_elu` doubles them: parts first, then negations). */
  activate(parts: readonly T[]): T[];
  /** Dropout in training; the parts themselves otherwise. */
  dropout(parts: readonly T[]): T[];
  /** Element-wise sum. */
  add(a: T, b: T): T;
  /** The gated output of a resnet layer: `x + value · σ(gate)`. */
  gate(x: T, value: T, gate: T): T;
  /**
   * `gate(x, value, gate)` of `[value, gate] = conv(name, parts, kernel, [filters, filters], 1,
   * false)`, where an implementation computes it more directly (optional: else conv, then gate).
   */
  gatedConv?(name: string, parts: readonly T[], kernel: CausalKernel, filters: number, x: T): T;
  /** Exponential linear unit. */
  elu(x: T): T;
  /** Runs one layer's `build`; an eager implementation may free the layer's temporaries at its end. */
  layer(build: () => Streams<T>): Streams<T>;
}

/** The two streams of the network at one point of the U-net. */
export interface Streams<T> {
  readonly vertical: T;
  readonly horizontal: T;
}

/**
 * Channel counts of the mixture head's outputs for `channels` image channels: K logits, then K·C
 * locations, K·C raw scales and K·C(C−1)/2 coefficients (component-major; none for gray).
 */
export function mixtureHeadGroups(config: PixelCnnConfig, channels: number): number[] {
  const mixtures = config.numLogisticMix;
  const numCoeffs = (channels * (channels - 1)) / 2;
  return [mixtures, mixtures * channels, mixtures * channels, ...(numCoeffs > 0 ? [mixtures * numCoeffs] : [])];
}

/**
 * PixelCNN++ (Salimans et al. 2017) as TFP builds it, over `ops`: `x` is the image on the [-1, 1]
 * scale; the result is the mixture head's outputs per pixel, grouped as {@link mixtureHeadGroups}.
 * Pixel (i, j)'s outputs depend only on pixels before it in raster order.
 */
export function pixelCnnTopology<T>(ops: NetworkOps<T>, config: PixelCnnConfig, x: T, channels: number): T[] {
  const geometry = kernelGeometry(config.receptiveFieldDims[0], config.receptiveFieldDims[1]);
  const filters = config.numFilters;
  const resnet = (name: string, state: Streams<T>, skip: Streams<T> | null): Streams<T> =>
    ops.layer(() => {
      const vertical = gatedResnet(ops, `${name}/vertical`, state.vertical, geometry.vertical, skip ? [skip.vertical] : null, filters);
      // TFP concatenates [vertical, skip] on channels; a parts list lets an implementation avoid the copy.
      const auxiliary = skip ? [vertical, skip.horizontal] : [vertical];
      const horizontal = gatedResnet(ops, `${name}/horizontal`, state.horizontal, geometry.horizontal, auxiliary, filters);
      return { vertical, horizontal };
    });

  // The image is data: training needs no gradient with respect to it.
  // In this order: a store creates (and seeds) the variables in the order they are asked for.
  const [initVertical] = ops.conv('init/vertical', [x], geometry.verticalInit, [filters], 1, true);
  const [initUp] = ops.conv('init/horizontal_up', [x], geometry.horizontalInitUp, [filters], 1, true);
  const [initLeft] = ops.conv('init/horizontal_left', [x], geometry.horizontalInitLeft, [filters], 1, true);
  const initial: Streams<T> = { vertical: initVertical, horizontal: ops.add(initUp, initLeft) };

  // Down pass: every stream state is kept for the skip connections of the up pass.
  const skips: Streams<T>[] = [initial];
  let current = initial;
  for (let level = 0; level < config.numHierarchies; level++) {
    for (let layer = 0; layer < config.numResnet; layer++) {
      current = resnet(`down/${level}/${layer}`, current, null);
      skips.push(current);
    }
    if (level < config.numHierarchies - 1) {
      const state = current;
      const name = `down/${level}/downsample`;
      current = ops.layer(() => ({
        vertical: ops.conv(`${name}/vertical`, [state.vertical], geometry.vertical, [filters], 2, false)[0],
        horizontal: ops.conv(`${name}/horizontal`, [state.horizontal], geometry.horizontal, [filters], 2, false)[0],
      }));
      skips.push(current);
    }
  }

  // Up pass, starting from the last down-pass state, with a skip from its mirror in each layer.
  current = skips.pop() as Streams<T>;
  for (let level = 0; level < config.numHierarchies; level++) {
    const layers = level === 0 ? config.numResnet : config.numResnet + 1;
    for (let layer = 0; layer < layers; layer++) {
      current = resnet(`up/${level}/${layer}`, current, skips.pop() as Streams<T>);
    }
    if (level < config.numHierarchies - 1) {
      // The next skip has the finer size; an odd size is matched by cropping the bottom/right.
      const [height, width] = ops.spatialSize(skips[skips.length - 1].vertical);
      const state = current;
      const name = `up/${level}/upsample`;
      current = ops.layer(() => ({
        vertical: ops.convTranspose(`${name}/vertical`, state.vertical, geometry.verticalUpsample, height, width),
        horizontal: ops.convTranspose(`${name}/horizontal`, state.horizontal, geometry.horizontalUpsample, height, width),
      }));
    }
  }

  return ops.conv('output', [ops.elu(current.horizontal)], POINTWISE, mixtureHeadGroups(config, channels), 1, false);
}

/**
 * One gated resnet layer (van den Oord et al. 2016, Fig. 2): `c = conv(act(x)) [+ dense(act(aux))];
 * c = conv(dropout(act(c))) → value, gate; x + value · σ(gate)`.
 */
function gatedResnet<T>(ops: NetworkOps<T>, name: string, x: T, kernel: CausalKernel, auxiliary: readonly T[] | null, filters: number): T {
  let [hidden] = ops.conv(`${name}/conv1`, ops.activate([x]), kernel, [filters], 1, false);
  if (auxiliary) {
    const [projected] = ops.conv(`${name}/auxiliary`, ops.activate(auxiliary), POINTWISE, [filters], 1, false);
    hidden = ops.add(hidden, projected);
  }
  const parts = ops.dropout(ops.activate([hidden]));
  if (ops.gatedConv) {
    return ops.gatedConv(`${name}/conv2`, parts, kernel, filters, x);
  }
  const [value, gate] = ops.conv(`${name}/conv2`, parts, kernel, [filters, filters], 1, false);
  return ops.gate(x, value, gate);
}
