import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import sharp from 'sharp';
import { DEBIAN_FASHION_MNIST_FOLDER, decodeImage, loadDataset } from '../../../../src/engine/data';
import type { ImageDataset } from '../../../../src/engine/data';
import { FolderMeasureTable, judgeFolder, measureDecodedImage } from '../../../../src/engine/signals';
import type { FolderItem, FolderMeasures } from '../../../../src/engine/signals';
import type { ImageMeasures } from '../../../../src/protocol/scanResults';

/** The fields the folder rules read, as the scan measured them. */
function folderPart(measures: ImageMeasures): FolderMeasures {
  const { sourceWidth, sourceHeight, greyAsRgb, pixelHash, perceptualHash, thumbnail } = measures;
  return { sourceWidth, sourceHeight, greyAsRgb, pixelHash, perceptualHash, thumbnail };
}

describe('FolderMeasureTable (the folder rules\' measures in typed columns)', function () {
  this.timeout(120_000);
  let dataset: ImageDataset;
  let measured: ImageMeasures[];

  before(async function () {
    if (!fs.existsSync(DEBIAN_FASHION_MNIST_FOLDER)) this.skip(); // needs `apt-get install dataset-fashion-mnist`
    dataset = await loadDataset('fashion-mnist', 'test', { limit: 60 });
    measured = [];
    for (let i = 0; i < 60; i++) {
      const raw = sharp(Buffer.from(dataset.images.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } });
      // Every third image as RGB (grey stored as RGB), every tenth again (an exact duplicate), one at an odd size.
      const encoded = await (i === 7 ? raw.resize(56, 28) : raw).toColourspace(i % 3 === 0 ? 'srgb' : 'b-w').png().toBuffer();
      const image = measureDecodedImage(await decodeImage(encoded, { height: 28, width: 28, channels: 1 }));
      measured.push(image);
      if (i % 10 === 0) measured.push(image);
    }
  });

  it('gives back every real measure the folder rules read, exactly, for each row', () => {
    const table = new FolderMeasureTable();
    measured.forEach((measures) => table.push(measures));
    table.push(undefined);
    assert.equal(table.length, measured.length + 1);
    measured.forEach((measures, row) => assert.deepEqual(table.at(row), folderPart(measures)));
    assert.equal(table.at(measured.length), undefined);
  });

  it('judges the folder from the table as from the measures themselves (odd size, duplicates, grey as RGB)', () => {
    const table = new FolderMeasureTable();
    measured.forEach((measures) => table.push(measures));
    const fromObjects = judgeFolder(measured.map((measures, i): FolderItem => ({ relativePath: `img-${i}.png`, measures })), { oddSizes: true, duplicates: true });
    const fromTable = judgeFolder(measured.map((_, i): FolderItem => ({ relativePath: `img-${i}.png`, measures: table.at(i) })), { oddSizes: true, duplicates: true });
    assert.deepEqual(fromTable.duplicates, fromObjects.duplicates);
    assert.deepEqual(fromTable.items.map((item) => item.reasons), fromObjects.items.map((item) => item.reasons));
    assert.equal(fromTable.greyAsRgb, fromObjects.greyAsRgb);
    assert.ok(fromObjects.duplicates.exact.length >= 6 && fromObjects.items.some((item) => item.reasons?.includes('odd-size')), 'the fixture has duplicates and an odd size');
  });

  it('keeps a hash of another form as it is, and replaces a row set again', () => {
    const table = new FolderMeasureTable();
    const odd = { ...folderPart(measured[0]), pixelHash: 'not-hex-and-longer-than-the-column', thumbnail: 'AB'.repeat(64) };
    table.push(measured[1]);
    table.set(0, odd);
    assert.deepEqual(table.at(0), odd);
    table.set(0, measured[2]);
    assert.deepEqual(table.at(0), folderPart(measured[2]));
    assert.deepEqual(table.pick([0, 0]).at(1), folderPart(measured[2]));
  });
});
