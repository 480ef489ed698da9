/** The contents of an idx file: unsigned bytes in row-major order, with their dimensions. */
export interface IdxArray {
  /** e.g. [60000, 28, 28] for an image file, [60000] for labels. */
  readonly shape: number[];
  readonly data: Uint8Array;
}

/** A data set Outlier Lens ships no copy of but knows where to find. */
export type DatasetName = 'fashion-mnist' | 'mnist';

/** Which half of a data set. */
export type DatasetSplit = 'train' | 'test';

/** Gray images with one class label each, e.g. Fashion-MNIST. */
export interface ImageDataset {
  /** `count * height * width * channels` samples, image after image, each row-major (HWC). */
  readonly images: Uint8Array;
  /** One class per image (0–9 for MNIST and Fashion-MNIST). */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: 1;
}
