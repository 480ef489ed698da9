import { openImage } from './openImage';
import { readImageFile } from './readImageFile';
import { toImageDecodeError } from './toImageDecodeError';
import { DEFAULT_LIMIT_INPUT_PIXELS } from './types';
import type { DecodeOptions } from './types';

/**
 * PNG bytes of the file's first frame at its original size, alpha kept, for formats a webview
 * cannot show itself (TIFF, BMP) or any other. Failures are `ImageDecodeError`s.
 */
export async function decodeImageForDisplay(path: string, options: DecodeOptions = {}): Promise<Buffer> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readImageFile(path);
    const { image } = await openImage(bytes, options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS);
    return await image.png().toBuffer();
  } catch (error) {
    throw toImageDecodeError(error, path, bytes);
  }
}
