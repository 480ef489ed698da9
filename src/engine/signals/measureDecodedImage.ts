import type { ImageMeasures } from '../../protocol/scanResults';
import { measureImage, toGrey } from './imageMeasures';
import { perceptualSignature } from './perceptualHash';
import { pixelHash } from './pixelHash';

/** What measuring needs of a decoded image: its pixels at the scored resolution and the file's own size. */
export interface MeasurableImage {
  readonly pixels: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  /** The file's own size and, where known, its stored channels (grey-as-RGB is judged on those, not on the detector's). */
  readonly source: { readonly width: number; readonly height: number; readonly channels?: number };
}

/** Every image check's measure of one decoded image, hashes included: what the scan keeps per image. */
export function measureDecodedImage(image: MeasurableImage): ImageMeasures {
  const { pixels, height, width, channels } = image;
  const storedAsColour = (image.source.channels ?? channels) >= 3;
  return {
    ...measureImage(pixels, height, width, channels, storedAsColour),
    sourceWidth: image.source.width,
    sourceHeight: image.source.height,
    pixelHash: pixelHash(pixels, image.source.width, image.source.height),
    ...perceptualSignature(toGrey(pixels, height * width, channels), height, width),
  };
}
