// The end-to-end workspace: a few hundred real Fashion-MNIST images, two broken files, and tiny training settings.
import * as fs from 'fs';
import * as path from 'path';
import { loadDataset, writeDatasetAsPngFolder } from '../../../src/engine/data';

/** What the workspace holds. */
export interface E2eWorkspace {
  readonly folder: string;
  readonly images: string;
  readonly imageCount: number;
  readonly broken: readonly string[];
}

/** Writes the workspace under `run`. */
export async function writeWorkspace(run: string, imageCount: number): Promise<E2eWorkspace> {
  const folder = path.join(run, 'workspace');
  const images = path.join(folder, 'images');
  const dataset = await loadDataset('fashion-mnist', 'test', { limit: imageCount });
  await writeDatasetAsPngFolder(dataset, images, { limit: imageCount });
  const first = fs.readFileSync(path.join(images, '00000.png'));
  fs.writeFileSync(path.join(images, 'truncated.png'), first.subarray(0, Math.floor(first.length / 2)));
  fs.writeFileSync(path.join(images, 'notes.jpg'), 'a text file with an image name\n');
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  // Tiny training keeps the test quick on two CPU cores: one epoch of the fast preset on 12×12 gray images.
  const settings = { 'outlierLens.preset': 'fast', 'outlierLens.epochs': 1, 'outlierLens.imageSize': '12x12', 'outlierLens.channels': '1', 'outlierLens.backend': 'auto' };
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return { folder, images, imageCount, broken: ['notes.jpg', 'truncated.png'] };
}
