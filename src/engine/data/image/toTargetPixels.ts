import type { Sharp } from 'sharp';
import type { ImageSource, ImageTarget } from './types';

/** Resampling kernel for images not already at the target size: sharp's default, sharp on downscale. */
export const RESIZE_KERNEL = 'lanczos3';

/**
 * Converts an opened image to the detector's shape, always by the same rule so that training and
 * scanning see identical pixels:
 * 1. transparency is flattened onto black (a transparent pixel becomes `colour × alpha`);
 * 2. colour becomes gray (libvips' luminance, computed in linear light) or 8-bit sRGB;
 * 3. the image is stretched to exactly `height × width` (`fit: 'fill'`, aspect ratio not kept,
 *    because cropping would hide content and padding would add borders the training data lacks),
 *    with the {@link RESIZE_KERNEL} kernel; an image already at that size is not resampled at all,
 *    so its pixels come through bit for bit.
 */
export async function toTargetPixels(image: Sharp, source: ImageSource, target: ImageTarget): Promise<Uint8Array> {
  let pipeline = image.flatten({ background: { r: 0, g: 0, b: 0 } });
  pipeline = target.channels === 1 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
  if (source.width !== target.width || source.height !== target.height) {
    pipeline = pipeline.resize(target.width, target.height, { fit: 'fill', kernel: RESIZE_KERNEL });
  }
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.width !== target.width || info.height !== target.height || info.channels !== target.channels) {
    const produced = `${info.width}×${info.height}×${info.channels}`;
    throw new Error(`decoder produced ${produced}, expected ${target.width}×${target.height}×${target.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Throws a RangeError unless `target` has positive integer sizes and 1 or 3 channels. */
export function validateImageTarget(target: ImageTarget): void {
  const { height, width, channels } = target;
  if (!Number.isInteger(height) || height < 1 || !Number.isInteger(width) || width < 1) {
    throw new RangeError(`target size must be positive integers, got ${height}×${width}`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new RangeError(`target channels must be 1 (gray) or 3 (RGB), got ${String(channels)}`);
  }
}
