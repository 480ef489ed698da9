import { createHash } from 'node:crypto';

/**
 * A hash of decoded pixels and the file's own size: files whose bytes differ (PNG and lossless
 * WebP, other metadata) but whose pixels are the same share it. The pixels are those scored (at the
 * detector's resolution), so two sources of the same size that differ only below it share it too.
 */
export function pixelHash(pixels: Uint8Array, sourceWidth: number, sourceHeight: number): string {
  return createHash('sha1').update(`${sourceWidth}x${sourceHeight}:`).update(pixels).digest('hex').slice(0, 24);
}
