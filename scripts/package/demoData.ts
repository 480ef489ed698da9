import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEMO_COUNTS, loadDataset } from '../../src/engine/data';
import type { DatasetName } from '../../src/engine/data';

/** An idx file: big-endian magic (0x08 = unsigned bytes, then the rank), the dimensions, the bytes. */
function idx(dimensions: readonly number[], bytes: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dimensions.length);
  header.writeUInt32BE(0x0800 + dimensions.length, 0);
  dimensions.forEach((size, index) => header.writeUInt32BE(size, 4 + 4 * index));
  return gzipSync(Buffer.concat([header, bytes]), { level: 9 });
}

/**
 * The walkthrough's demo data for a VSIX: the first images of the Fashion-MNIST and MNIST test
 * sets (as many as the demo writes), as idx files in `<stage>/dist/data/<name>/`, where the
 * engine looks after the system's and npm's copies. Needs the data on the packaging machine.
 */
export async function stageDemoData(stage: string): Promise<void> {
  const wanted: Array<[DatasetName, number]> = [['fashion-mnist', DEMO_COUNTS.inliers], ['mnist', DEMO_COUNTS.outliers]];
  for (const [name, count] of wanted) {
    const dataset = await loadDataset(name, 'test', { limit: count });
    const folder = path.join(stage, 'dist', 'data', name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 't10k-images-idx3-ubyte.gz'), idx([dataset.count, dataset.height, dataset.width], dataset.images));
    fs.writeFileSync(path.join(folder, 't10k-labels-idx1-ubyte.gz'), idx([dataset.count], dataset.labels));
  }
}
