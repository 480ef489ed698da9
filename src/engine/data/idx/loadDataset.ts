import { IdxFormatError } from './idxFormatError';
import { locateDataset } from './locateDataset';
import { readIdx } from './readIdx';
import type { DatasetName, DatasetSplit, ImageDataset } from './types';

/** How much of a data set to load, and from where. */
export interface LoadDatasetOptions {
  /** Keep only the first `limit` images and labels. */
  readonly limit?: number;
  /** Folder holding the idx files, instead of the usual install places. */
  readonly folder?: string;
}

/**
 * Loads MNIST or Fashion-MNIST (`train`: 60000 images, `test`: 10000; 28×28 gray), or the idx
 * pair in `options.folder`, checking that images and labels agree. Throws an Error saying how to
 * install the data when it is missing.
 */
export async function loadDataset(
  name: DatasetName,
  split: DatasetSplit,
  options: LoadDatasetOptions = {},
): Promise<ImageDataset> {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  const files = locateDataset(name, split, options.folder);
  const [images, labels] = await Promise.all([readIdx(files.images), readIdx(files.labels)]);
  if (images.shape.length !== 3) {
    throw new IdxFormatError(files.images, `expected images (3 dimensions), got shape [${images.shape.join(', ')}]`);
  }
  if (labels.shape.length !== 1) {
    throw new IdxFormatError(files.labels, `expected labels (1 dimension), got shape [${labels.shape.join(', ')}]`);
  }
  const [imageCount, height, width] = images.shape;
  if (labels.shape[0] !== imageCount) {
    throw new IdxFormatError(files.labels, `${labels.shape[0]} labels for ${imageCount} images in ${files.images}`);
  }
  const count = limit === undefined ? imageCount : Math.min(limit, imageCount);
  // slice() copies, so a small limit does not keep the whole 47 MB file alive.
  return {
    images: count === imageCount ? images.data : images.data.slice(0, count * height * width),
    labels: count === imageCount ? labels.data : labels.data.slice(0, count),
    count,
    height,
    width,
    channels: 1,
  };
}
