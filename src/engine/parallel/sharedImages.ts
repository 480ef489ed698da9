import type { SharedImages } from './modelWorkerMessages';
import type { ImageSet } from '../llr/imageSet';

/** Copies `images` once into shared memory, so that every worker reads them without a copy of its own. */
export function shareImages(images: ImageSet): SharedImages {
  const buffer = new SharedArrayBuffer(images.pixels.length);
  new Uint8Array(buffer).set(images.pixels);
  return { buffer, count: images.count, shape: images.shape };
}

/** The ImageSet view of shared images. */
export function sharedImageSet(shared: SharedImages): ImageSet {
  return { pixels: new Uint8Array(shared.buffer), count: shared.count, shape: shared.shape };
}
