import type { ImageSet } from '../llr';

/** How many RGB images of a set have three equal channels everywhere (grey stored as RGB); 0 for grey sets. */
export function countGreyAsRgb(images: ImageSet): number {
  if (images.shape[2] !== 3) {
    return 0;
  }
  const size = images.shape[0] * images.shape[1] * 3;
  let count = 0;
  for (let image = 0; image < images.count; image++) {
    let equal = true;
    for (let i = image * size; i < (image + 1) * size && equal; i += 3) {
      equal = images.pixels[i] === images.pixels[i + 1] && images.pixels[i] === images.pixels[i + 2];
    }
    count += equal ? 1 : 0;
  }
  return count;
}

/** The log line for a training set whose images are grey in three equal channels, or null when none is. */
export function greyAsRgbTrainingNote(images: ImageSet): string | null {
  const count = countGreyAsRgb(images);
  return count === 0
    ? null
    : `${count} of ${images.count} images are grey; they train as three equal channels on purpose ` +
        '(that found MNIST among Fashion-MNIST better than one channel: docs/detection.md); --channels 1 trains one channel in about 0.6x the time';
}
