import { createHash } from 'crypto';
import type { ImageSet } from '../llr/imageSet';
import type { DataFingerprint } from './detectorManifest';

/** A fingerprint of training images: their count and the SHA-256 of their pixels. */
export function fingerprintImages(images: ImageSet, source: string): DataFingerprint {
  const hash = createHash('sha256').update(images.pixels).digest('hex');
  return { source, imageCount: images.count, sha256: hash };
}
