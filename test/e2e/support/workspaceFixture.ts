// The end-to-end workspace: a few hundred real Fashion-MNIST images, two broken files, tiny training settings,
// and a folder of Fashion-MNIST and MNIST sub-folders to mark as inliers and outliers.
import * as fs from 'fs';
import * as path from 'path';
import type { ImageDataset } from '../../../src/engine/data';
import { loadDataset, writeDatasetAsPngFolder } from '../../../src/engine/data';

/** What the workspace holds. */
export interface E2eWorkspace {
  readonly folder: string;
  readonly images: string;
  readonly imageCount: number;
  readonly broken: readonly string[];
  /** `mixed/`: `fashion/` (inliers) and `mnist/` (outliers), `labelledCount` images each. */
  readonly mixed: string;
  readonly labelledCount: number;
}

/** Writes the workspace under `run`. */
export async function writeWorkspace(run: string, imageCount: number, labelledCount: number): Promise<E2eWorkspace> {
  const folder = path.join(run, 'workspace');
  const images = path.join(folder, 'images');
  const dataset = await loadDataset('fashion-mnist', 'test', { limit: imageCount });
  await writeDatasetAsPngFolder(dataset, images, { limit: imageCount });
  const mixed = path.join(folder, 'mixed');
  // Images the detector was not trained on: the last of the Fashion-MNIST test set, and MNIST digits.
  const [fashion, digits] = await Promise.all([loadDataset('fashion-mnist', 'test'), loadDataset('mnist', 'test', { limit: labelledCount })]);
  await Promise.all([writeDatasetAsPngFolder(lastImages(fashion, labelledCount), path.join(mixed, 'fashion')), writeDatasetAsPngFolder(digits, path.join(mixed, 'mnist'))]);
  const first = fs.readFileSync(path.join(images, '00000.png'));
  fs.writeFileSync(path.join(images, 'truncated.png'), first.subarray(0, Math.floor(first.length / 2)));
  fs.writeFileSync(path.join(images, 'notes.jpg'), 'a text file with an image name\n');
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  // Tiny training keeps the test quick on two CPU cores: one epoch of the fast preset on 12×12 gray images.
  const settings = { 'outlierLens.preset': 'fast', 'outlierLens.epochs': 1, 'outlierLens.imageSize': '12x12', 'outlierLens.channels': '1', 'outlierLens.backend': 'auto' };
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return { folder, images, imageCount, broken: ['notes.jpg', 'truncated.png'], mixed, labelledCount };
}

/** The last `count` images of a data set, as a data set. */
function lastImages(dataset: ImageDataset, count: number): ImageDataset {
  const start = dataset.count - count;
  const size = dataset.height * dataset.width * dataset.channels;
  return { ...dataset, count, images: dataset.images.subarray(start * size), labels: dataset.labels.subarray(start) };
}
