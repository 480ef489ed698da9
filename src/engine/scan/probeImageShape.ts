import sharp from 'sharp';
import type { ImageShape } from '../pixelcnn';
import type { ImageFileEntry } from '../data';

/** The largest side `probeImageShape` picks by itself: PixelCNN++ cost grows with the pixel count. */
export const MAX_AUTO_SIDE = 64;

/**
 * Channels a detector trains on unless told otherwise: three, grey images too (as three equal
 * channels), which found semantic outliers better than one channel (docs/detection.md).
 */
export const DEFAULT_CHANNELS = 3;

/**
 * The detector shape for a folder when the user gives none: the size of its first readable image
 * (scaled down to at most 64 on the longer side, keeping the aspect ratio) and
 * {@link DEFAULT_CHANNELS}. Forced values replace either part.
 */
export async function probeImageShape(
  entries: readonly ImageFileEntry[],
  forced: { size?: readonly [number, number]; channels?: 1 | 3 } = {},
): Promise<ImageShape> {
  const channels = forced.channels ?? DEFAULT_CHANNELS;
  if (forced.size) {
    return [forced.size[0], forced.size[1], channels];
  }
  for (const entry of entries.slice(0, 20)) {
    try {
      const metadata = await sharp(entry.path, { pages: 1 }).metadata();
      if (!metadata.width || !metadata.height) continue;
      const scale = Math.min(1, MAX_AUTO_SIDE / Math.max(metadata.width, metadata.height));
      return [Math.max(1, Math.round(metadata.height * scale)), Math.max(1, Math.round(metadata.width * scale)), channels];
    } catch {
      // An unreadable first file says nothing about the others' shape; try the next one.
    }
  }
  throw new Error('no readable image to take the detector shape from; give --size');
}
