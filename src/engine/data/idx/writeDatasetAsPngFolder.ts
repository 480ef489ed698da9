import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import type { ImageDataset } from './types';

/** Which images to write, and how to arrange them. */
export interface WritePngFolderOptions {
  /** Write only the first `limit` images. */
  readonly limit?: number;
  /** Put each image in a sub-folder named by its label (`9/00042.png`). */
  readonly byLabel?: boolean;
  /** PNG encodes at once. Default 8. */
  readonly concurrency?: number;
}

/** What a PNG export wrote. */
export interface WrittenPngFolder {
  readonly folder: string;
  /** Number of PNG files written. */
  readonly written: number;
}

/**
 * Writes one gray PNG per image of `dataset` into `outFolder`, named by its index zero-padded
 * to at least five digits (`00042.png`) so that a file listing sorts in data-set order, and
 * the same index keeps the same name with or without `byLabel`.
 */
export async function writeDatasetAsPngFolder(
  dataset: ImageDataset,
  outFolder: string,
  options: WritePngFolderOptions = {},
): Promise<WrittenPngFolder> {
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${options.limit}`);
  }
  const count = Math.min(options.limit ?? dataset.count, dataset.count);
  const digits = Math.max(5, String(Math.max(count - 1, 0)).length);
  const imageSize = dataset.height * dataset.width * dataset.channels;
  await fs.mkdir(outFolder, { recursive: true });
  if (options.byLabel) {
    const labels = new Set(dataset.labels.subarray(0, count));
    await Promise.all([...labels].map((label) => fs.mkdir(path.join(outFolder, String(label)), { recursive: true })));
  }
  const writeOne = async (index: number): Promise<void> => {
    const name = `${String(index).padStart(digits, '0')}.png`;
    const file = options.byLabel
      ? path.join(outFolder, String(dataset.labels[index]), name)
      : path.join(outFolder, name);
    const pixels = dataset.images.subarray(index * imageSize, (index + 1) * imageSize);
    await sharp(pixels, { raw: { width: dataset.width, height: dataset.height, channels: dataset.channels } })
      .toColourspace('b-w') // without it sharp writes a 3-channel PNG
      .png()
      .toFile(file);
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) await writeOne(index);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  return { folder: outFolder, written: count };
}
