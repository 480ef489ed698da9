import { createHash } from 'node:crypto';
import { BUFFER_SOURCE } from './imageDecodeError';
import { openImage } from './openImage';
import { readImageFile } from './readImageFile';
import { toImageDecodeError } from './toImageDecodeError';
import { toTargetPixels, validateImageTarget } from './toTargetPixels';
import { DEFAULT_LIMIT_INPUT_PIXELS } from './types';
import type { DecodedImage, DecodeOptions, ImageTarget } from './types';

/**
 * Decodes a PNG, JPEG, WebP, GIF, TIFF, AVIF or BMP file (or its bytes) into `target`'s shape;
 * see `toTargetPixels` for the alpha, colour and resize rules. Every failure of the input is an
 * `ImageDecodeError` with a reason such as "truncated PNG"; an invalid `target` is a RangeError.
 */
export async function decodeImage(
  input: string | Uint8Array,
  target: ImageTarget,
  options: DecodeOptions = {},
): Promise<DecodedImage> {
  validateImageTarget(target);
  const path = typeof input === 'string' ? input : BUFFER_SOURCE;
  let bytes: Uint8Array | undefined;
  try {
    bytes = typeof input === 'string' ? await readImageFile(input) : input;
    const { image, source } = await openImage(bytes, options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS);
    const pixels = await toTargetPixels(image, source, target);
    const decoded: DecodedImage = { pixels, height: target.height, width: target.width, channels: target.channels, source };
    return options.contentDigest ? { ...decoded, contentDigest: createHash('sha256').update(bytes).digest('hex') } : decoded;
  } catch (error) {
    throw toImageDecodeError(error, path, bytes);
  }
}
