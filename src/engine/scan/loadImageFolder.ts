import type { FailedImage } from '../../protocol/scanResults';
import type { FolderWalkOptions, FolderWalkResult } from '../data';
import { decodeImages, walkImageFolder } from '../data';
import type { ImageSet } from '../llr';
import type { ImageShape } from '../pixelcnn';
import { relativeTo } from './relativePath';

/** Images of a folder decoded for training, and the files that could not be. */
export interface LoadedImageFolder {
  readonly images: ImageSet;
  readonly relativePaths: string[];
  readonly failures: FailedImage[];
}

/** Options of `loadImageFolder`. */
export interface LoadImageFolderOptions extends FolderWalkOptions {
  /** Keep at most this many images (the first in walk order). */
  readonly limit?: number;
  /** The folder's walk, when the caller has it already (so the listing is read once). */
  readonly walk?: FolderWalkResult;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Decodes every image under `folder` to `shape` (gray or RGB, resized as decodeImage documents). */
export async function loadImageFolder(folder: string, shape: ImageShape, options: LoadImageFolderOptions = {}): Promise<LoadedImageFolder> {
  const walk = options.walk ?? (await walkImageFolder(folder, options));
  const entries = options.limit !== undefined ? walk.files.slice(0, options.limit) : walk.files;
  const [height, width, channels] = shape;
  const size = height * width * channels;
  const pixels = new Uint8Array(entries.length * size);
  const relativePaths: string[] = [];
  const failures: FailedImage[] = walk.errors.map((error) => ({ relativePath: relativeTo(folder, error.path), reason: error.reason }));
  let done = 0;
  for await (const result of decodeImages(entries, { height, width, channels: channels as 1 | 3 })) {
    done++;
    if ('error' in result) {
      failures.push({ relativePath: result.entry.relativePath, reason: result.error.reason });
    } else {
      pixels.set(result.image.pixels, relativePaths.length * size);
      relativePaths.push(result.entry.relativePath);
    }
    if (done % 256 === 0 || done === entries.length) {
      options.onProgress?.(done, entries.length);
    }
  }
  const images: ImageSet = { pixels: pixels.subarray(0, relativePaths.length * size), count: relativePaths.length, shape };
  return { images, relativePaths, failures };
}
