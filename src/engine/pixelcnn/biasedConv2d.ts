import * as tf from '@tensorflow/tfjs-core';

/** Zero padding per NHWC axis, as tf.conv2d takes it explicitly. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Whether the bias gradient (a sum of dy over N, H and W) is taken as one matrix product
 * ones[1, N·H·W] · dy[N·H·W, C] on XNNPACK, which ran 5-20x faster than wasm's Sum kernel (that
 * first transposes dy).
 * XNNPACK's product views dy as [N·H·W, C], as the filter gradient does:
 * wasm caches XNNPACK's packed b operand by tensor id alone, so one tensor must never be a
 * product's b under two shapes.
 */
function sumsBiasByProduct(backend: string): boolean {
  return backend === 'wasm';
}

/** dy summed over every axis but the channels: the gradient of a bias added to each pixel. */
function biasGradient(dy: tf.Tensor4D): tf.Tensor1D {
  const [batch, height, width, channels] = dy.shape;
  if (!sumsBiasByProduct(tf.getBackend())) {
    return tf.sum(dy, [0, 1, 2]);
  }
  const positions = batch * height * width;
  return tf.reshape(tf.matMul(tf.ones([1, positions]), tf.reshape(dy, [positions, channels])), [channels]);
}

/**
 * `conv2d(x, filter) + bias` for training, with its gradient computed as PixelCNN++ needs it:
 * the bias term as {@link biasGradient} does, and no input gradient where `x` is data rather than
 * a function of the weights (tfjs's fused convolution computes all three, needed or not; for the
 * network's first layers the unused input gradient costs 6x their forward pass on wasm).
 */
export function biasedConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  strides: 1 | 2,
  pad: ExplicitPadding,
  xIsData: boolean,
): tf.Tensor4D {
  const convolve = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, weights, offsets, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    save([input, weights]);
    return {
      value: tf.fused.conv2d({ x: input, filter: weights, strides, pad, bias: offsets }),
      gradFunc: (dy: tf.Tensor, [savedInput, savedWeights]: tf.Tensor[]) => {
        const outputGradient = dy as tf.Tensor4D;
        const inputShape = (savedInput as tf.Tensor4D).shape;
        return [
          // Data needs no gradient: zeros stand in (a Fill) for the transposed convolution.
          xIsData ? tf.zeros(inputShape) : tf.conv2dTranspose(outputGradient, savedWeights as tf.Tensor4D, inputShape, strides, pad),
          tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: savedInput, dy: outputGradient }, {
            strides,
            pad: pad as unknown as tf.NamedAttrMap[string],
            dataFormat: 'NHWC',
            filterShape: filter.shape,
          }) as tf.Tensor4D,
          biasGradient(outputGradient),
        ];
      },
    };
  });
  return convolve(x, filter, bias) as tf.Tensor4D;
}
