import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { decodeBmp } from './bmp/decodeBmp';
import { BUFFER_SOURCE } from './imageDecodeError';
import { checkPixelLimit } from './pixelLimit';
import { sniffImageFormat } from './sniffImageFormat';
import type { ImageSource } from './types';

/** A sharp pipeline over the first frame of an image, and what the file held. */
export interface OpenedImage {
  readonly image: Sharp;
  readonly source: ImageSource;
}

/**
 * Opens `bytes` for sharp after checking the declared size against `limitInputPixels` (reading
 * only the header, so a 30000×30000 PNG of a few bytes never allocates its pixels). BMP goes
 * through our own decoder and reaches sharp as raw pixels. Only the first frame of an animated
 * GIF/WebP or multi-page TIFF is taken; EXIF orientation is applied, as a person sees the photo.
 */
export async function openImage(bytes: Uint8Array, limitInputPixels: number): Promise<OpenedImage> {
  if (sniffImageFormat(bytes) === 'bmp') {
    const bmp = decodeBmp(bytes, { limitInputPixels });
    const image = sharp(bmp.data, { raw: { width: bmp.width, height: bmp.height, channels: bmp.channels } });
    return { image, source: { width: bmp.width, height: bmp.height, format: 'bmp', channels: bmp.channels } };
  }
  // The header read is unlimited on purpose: our own check below can then say how large it is.
  const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  checkPixelLimit(BUFFER_SOURCE, width, height, limitInputPixels);
  const format = metadata.format === 'heif' && metadata.compression === 'av1' ? 'avif' : metadata.format;
  // failOn 'error' rejects truncated and damaged data but tolerates libjpeg's warnings
  // ("extraneous bytes before marker"), which many cameras produce on images that look fine.
  const image = sharp(bytes, { limitInputPixels, pages: 1, failOn: 'error', autoOrient: true });
  return { image, source: { width, height, format, channels: metadata.channels ?? 3 } };
}
