import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadDataset } from '../idx/loadDataset';
import { writeDatasetAsPngFolder } from '../idx/writeDatasetAsPngFolder';

/** Images of each kind in the demo folder: enough to train a `fast` detector in minutes on a CPU. */
export const DEMO_COUNTS = { inliers: 1000, outliers: 30 } as const;

/** What the demo folder holds, relative to it. */
export interface DemoFolder {
  readonly folder: string;
  readonly inliers: { readonly folder: string; readonly count: number };
  readonly outliers: { readonly folder: string; readonly count: number };
  readonly broken: readonly string[];
}

/**
 * Writes the demo data set into `folder`, which must not exist: `fashion/` (Fashion-MNIST test
 * images, the inliers), `mnist/` (MNIST digits, the outliers) and two broken files (one not an
 * image, one truncated PNG). Written beside it first and renamed into place, so a stopped write
 * leaves no half demo behind.
 */
export async function writeDemoFolder(folder: string, counts: { inliers: number; outliers: number } = DEMO_COUNTS): Promise<DemoFolder> {
  if (existsSync(folder)) throw new Error(`${folder} already exists; the demo writes only into a new folder`);
  const partial = `${folder}.partial-${process.pid}`;
  await fs.rm(partial, { recursive: true, force: true });
  try {
    const [fashion, digits] = await Promise.all([loadDataset('fashion-mnist', 'test', { limit: counts.inliers }), loadDataset('mnist', 'test', { limit: counts.outliers })]);
    const [inliers, outliers] = await Promise.all([writeDatasetAsPngFolder(fashion, path.join(partial, 'fashion')), writeDatasetAsPngFolder(digits, path.join(partial, 'mnist'))]);
    await fs.writeFile(path.join(partial, 'notes.jpg'), 'this is not an image');
    const png = await fs.readFile(path.join(partial, 'fashion', '00000.png'));
    await fs.writeFile(path.join(partial, 'truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
    await fs.rename(partial, folder);
    return {
      folder,
      inliers: { folder: 'fashion', count: inliers.written },
      outliers: { folder: 'mnist', count: outliers.written },
      broken: ['notes.jpg', 'truncated.png'],
    };
  } finally {
    await fs.rm(partial, { recursive: true, force: true });
  }
}
