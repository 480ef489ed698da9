// Real images for the host tests: the first Fashion-MNIST test images as PNGs, plus broken files.
import * as fs from 'fs';
import * as path from 'path';
import { loadDataset, writeDatasetAsPngFolder } from '../../../src/engine/data';

/** Writes `count` Fashion-MNIST images as PNGs into `folder`, and a truncated PNG and a text file named .jpg when `broken`. */
export async function writeImageFolder(folder: string, count: number, broken = true): Promise<{ images: string[]; broken: string[] }> {
  const dataset = await loadDataset('fashion-mnist', 'test', { limit: count });
  await writeDatasetAsPngFolder(dataset, folder, { limit: count });
  const images = fs.readdirSync(folder).filter((name) => name.endsWith('.png')).sort();
  const brokenFiles: string[] = [];
  if (broken) {
    const png = fs.readFileSync(path.join(folder, images[0]));
    fs.writeFileSync(path.join(folder, 'truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
    fs.writeFileSync(path.join(folder, 'notes.jpg'), 'this is a text file, not a JPEG\n');
    brokenFiles.push('notes.jpg', 'truncated.png');
  }
  return { images, broken: brokenFiles };
}

/** Writes `count` Fashion-MNIST test images into `folder/fashion` and `count` MNIST digits into `folder/mnist`: inliers and outliers to label. */
export async function writeFashionAndMnistFolders(folder: string, count: number): Promise<{ fashion: string; mnist: string }> {
  const fashion = path.join(folder, 'fashion');
  const mnist = path.join(folder, 'mnist');
  const [fashionImages, digits] = await Promise.all([loadDataset('fashion-mnist', 'test', { limit: count }), loadDataset('mnist', 'test', { limit: count })]);
  await Promise.all([writeDatasetAsPngFolder(fashionImages, fashion, { limit: count }), writeDatasetAsPngFolder(digits, mnist, { limit: count })]);
  return { fashion, mnist };
}
