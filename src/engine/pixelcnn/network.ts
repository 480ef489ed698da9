import * as tf from '@tensorflow/tfjs-core';
import type { CausalKernel, LayerContext } from './layers';
import { causalConv, causalConvTranspose, gatedResnet, pixelDense } from './layers';
import type { ParameterStore } from './parameters';
import type { MixtureParams, PixelCnnConfig } from './types';

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

/** The two streams of the network at one point of the U-net. */
interface Streams {
  readonly vertical: tf.Tensor4D;
  readonly horizontal: tf.Tensor4D;
}

/**
 * PixelCNN++ (Salimans et al. 2017) as TFP builds it: `x` is [N, H, W, C] on the [-1, 1] scale;
 * the result holds each pixel's mixture parameters. Pixel (i, j) depends only on pixels before it
 * in raster order. With `training`, `x` is treated as data: no gradient flows back to it (a gradient
 * with respect to the image, as the causality tests take, needs `training` false).
 */
export function pixelCnnNetwork(
  store: ParameterStore,
  config: PixelCnnConfig,
  x: tf.Tensor4D,
  training: boolean,
  joinParts: boolean,
): MixtureParams {
  const context: LayerContext = {
    store,
    activation: config.resnetActivation,
    dropoutRate: config.dropoutP,
    training,
    joinParts,
  };
  const geometry = kernelGeometry(config.receptiveFieldDims[0], config.receptiveFieldDims[1]);
  const filters = config.numFilters;
  // Without a tape, each layer's temporaries are freed as it ends: at most one layer's and the
  // skip states live at once (the seed model's forward pass held 67 MB an image, which took wasm's
  // 4 GiB heap at batch 64). Training keeps them all anyway for the gradients.
  const withoutTemporaries = <T extends tf.TensorContainer>(build: () => T): T => (training ? build() : tf.tidy(build));

  // The image is data: training needs no gradient with respect to it.
  const initial: Streams = {
    vertical: causalConv(context, 'init/vertical', [x], geometry.verticalInit, [filters], 1, true)[0],
    horizontal: tf.add(
      causalConv(context, 'init/horizontal_up', [x], geometry.horizontalInitUp, [filters], 1, true)[0],
      causalConv(context, 'init/horizontal_left', [x], geometry.horizontalInitLeft, [filters], 1, true)[0],
    ) as tf.Tensor4D,
  };

  // Down pass: every stream state is kept for the skip connections of the up pass.
  const skips: Streams[] = [initial];
  let current = initial;
  for (let level = 0; level < config.numHierarchies; level++) {
    for (let layer = 0; layer < config.numResnet; layer++) {
      const name = `down/${level}/${layer}`;
      const state = current;
      current = withoutTemporaries(() => {
        const vertical = gatedResnet(context, `${name}/vertical`, state.vertical, geometry.vertical, null);
        const horizontal = gatedResnet(context, `${name}/horizontal`, state.horizontal, geometry.horizontal, [vertical]);
        return { vertical, horizontal };
      });
      skips.push(current);
    }
    if (level < config.numHierarchies - 1) {
      const state = current;
      current = withoutTemporaries(() => ({
        vertical: causalConv(context, `down/${level}/downsample/vertical`, [state.vertical], geometry.vertical, [filters], 2)[0],
        horizontal: causalConv(context, `down/${level}/downsample/horizontal`, [state.horizontal], geometry.horizontal, [filters], 2)[0],
      }));
      skips.push(current);
    }
  }

  // Up pass, starting from the last down-pass state, with a skip from its mirror in each layer.
  current = skips.pop() as Streams;
  for (let level = 0; level < config.numHierarchies; level++) {
    const layers = level === 0 ? config.numResnet : config.numResnet + 1;
    for (let layer = 0; layer < layers; layer++) {
      const name = `up/${level}/${layer}`;
      const skip = skips.pop() as Streams;
      const state = current;
      current = withoutTemporaries(() => {
        const vertical = gatedResnet(context, `${name}/vertical`, state.vertical, geometry.vertical, [skip.vertical]);
        // TFP concatenates [vertical, skip] on channels; the parts list computes the same without copying.
        const horizontal = gatedResnet(context, `${name}/horizontal`, state.horizontal, geometry.horizontal, [vertical, skip.horizontal]);
        return { vertical, horizontal };
      });
    }
    if (level < config.numHierarchies - 1) {
      // The next skip has the finer size; an odd size is matched by cropping the bottom/right.
      const [, height, width] = skips[skips.length - 1].vertical.shape;
      const state = current;
      current = withoutTemporaries(() => ({
        vertical: causalConvTranspose(context, `up/${level}/upsample/vertical`, state.vertical, geometry.verticalUpsample, height, width),
        horizontal: causalConvTranspose(context, `up/${level}/upsample/horizontal`, state.horizontal, geometry.horizontalUpsample, height, width),
      }));
    }
  }

  return mixtureHead(context, config, tf.elu(current.horizontal), x.shape[3]);
}

/**
 * Per-pixel mixture parameters from the last horizontal state. One dense layer gives, per pixel,
 * K logits, then K·C locations, K·C raw scales and K·C(C−1)/2 coefficients (component-major).
 */
function mixtureHead(context: LayerContext, config: PixelCnnConfig, features: tf.Tensor4D, channels: number): MixtureParams {
  const [batch, height, width] = features.shape;
  const mixtures = config.numLogisticMix;
  const numCoeffs = (channels * (channels - 1)) / 2;
  const groups = [mixtures, mixtures * channels, mixtures * channels, ...(numCoeffs > 0 ? [mixtures * numCoeffs] : [])];
  const [logits, locs, rawScales, coeffs] = pixelDense(context, 'output', [features], groups);
  const perComponent = (tensor: tf.Tensor4D, size: number): tf.Tensor5D => tf.reshape(tensor, [batch, height, width, mixtures, size]) as tf.Tensor5D;
  return {
    logits,
    locs: perComponent(locs, channels),
    // Softplus keeps scales positive; e^-7 keeps them from collapsing (as TFP).
    scales: tf.add(tf.softplus(perComponent(rawScales, channels)), Math.exp(-7)) as tf.Tensor5D,
    coeffs: coeffs ? perComponent(coeffs, numCoeffs) : null,
  };
}
