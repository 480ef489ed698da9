import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape } from '../pixelcnn';

/** Images held in memory: `count` images of `shape`, row-major HWC uint8, one after another. */
export interface ImageSet {
  readonly pixels: Uint8Array;
  readonly count: number;
  readonly shape: ImageShape;
}

/** Number of values in one image of `shape`. */
export function imageSize(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

/** Wraps `pixels` as an ImageSet, checking that the length fits whole images. */
export function toImageSet(pixels: Uint8Array, shape: ImageShape): ImageSet {
  const size = imageSize(shape);
  if (pixels.length % size !== 0) {
    throw new Error(`${pixels.length} values are not a whole number of ${shape.join('×')} images`);
  }
  return { pixels, count: pixels.length / size, shape };
}

/** Images `start..end-1` of `images` as a float32 tensor [n, H, W, C] of values 0..255. */
export function rangeBatch(images: ImageSet, start: number, end: number): tf.Tensor4D {
  const size = imageSize(images.shape);
  const values = Float32Array.from(images.pixels.subarray(start * size, end * size));
  return tf.tensor4d(values, [end - start, ...images.shape]);
}

/** The images at `indices` (in that order) as a float32 tensor [n, H, W, C]. */
export function gatherBatch(images: ImageSet, indices: ArrayLike<number>): tf.Tensor4D {
  const size = imageSize(images.shape);
  const values = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const offset = indices[i] * size;
    for (let k = 0; k < size; k++) {
      values[i * size + k] = images.pixels[offset + k];
    }
  }
  return tf.tensor4d(values, [indices.length, ...images.shape]);
}

/** The images at `indices` as a new ImageSet (for train/validation splits and samples of a set). */
export function selectImages(images: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = imageSize(images.shape);
  const pixels = new Uint8Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    pixels.set(images.pixels.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
  }
  return { pixels, count: indices.length, shape: images.shape };
}

/** One-channel images as three equal channels (how grey images are trained by default: docs/detection.md). */
export function greyToRgb(images: ImageSet): ImageSet {
  if (images.shape[2] !== 1) {
    throw new Error(`greyToRgb takes one-channel images, got ${images.shape[2]} channels`);
  }
  const pixels = new Uint8Array(images.pixels.length * 3);
  for (let i = 0; i < images.pixels.length; i++) {
    pixels[3 * i] = pixels[3 * i + 1] = pixels[3 * i + 2] = images.pixels[i];
  }
  return { pixels, count: images.count, shape: [images.shape[0], images.shape[1], 3] };
}
