import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { DEBIAN_FASHION_MNIST_FOLDER, decodeImage, loadDataset } from '../../../../src/engine/data';
import type { ImageDataset } from '../../../../src/engine/data';
import { groupDuplicates, hammingDistance, measureDecodedImage, thumbnailDistance } from '../../../../src/engine/signals';
import type { HashedImage } from '../../../../src/engine/signals';

const TARGET = { height: 28, width: 28, channels: 1 } as const;

/** Image `i` of the data set as raw grey pixels for sharp. */
function rawImage(dataset: ImageDataset, i: number): Sharp {
  return sharp(Buffer.from(dataset.images.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } });
}

/** The measures the scan keeps for a file's bytes (decoded exactly as a scan decodes them). */
async function measuresOf(bytes: Uint8Array): Promise<HashedImage> {
  return measureDecodedImage(await decodeImage(bytes, TARGET));
}

describe('duplicate groups on Fashion-MNIST', function () {
  this.timeout(300_000);
  let dataset: ImageDataset;

  before(async function () {
    if (!fs.existsSync(DEBIAN_FASHION_MNIST_FOLDER)) this.skip(); // needs `apt-get install dataset-fashion-mnist`
    dataset = await loadDataset('fashion-mnist', 'test');
  });

  it('groups a PNG with a lossless WebP of the same pixels as exact duplicates, and nothing else', async () => {
    const images: HashedImage[] = [];
    for (let i = 0; i < 40; i++) {
      images.push(await measuresOf(await rawImage(dataset, i).png().toBuffer()));
      images.push(await measuresOf(await rawImage(dataset, i).webp({ lossless: true }).toBuffer()));
    }
    const groups = groupDuplicates(images);
    assert.deepEqual(groups.exact, Array.from({ length: 40 }, (_, i) => [2 * i, 2 * i + 1]));
    assert.deepEqual(groups.near, []);
  });

  it('groups re-encoded and resized JPEG copies as near duplicates of their originals', async () => {
    const count = 200;
    const rates: Record<string, number> = {};
    for (const [name, encode] of [
      ['JPEG q80, same size', (i: number) => rawImage(dataset, i).jpeg({ quality: 80 }).toBuffer()],
      ['JPEG q90, 2x larger', (i: number) => rawImage(dataset, i).resize(56, 56).jpeg({ quality: 90 }).toBuffer()],
    ] as const) {
      let grouped = 0;
      for (let i = 0; i < count; i++) {
        const original = await measuresOf(await rawImage(dataset, i).png().toBuffer());
        const copy = await measuresOf(await encode(i));
        grouped += groupDuplicates([original, copy]).near.length;
      }
      rates[name] = grouped / count;
    }
    console.log(`      near-duplicate recall on ${count} Fashion-MNIST images: ${JSON.stringify(rates)}`);
    assert.ok(rates['JPEG q80, same size'] >= 0.95, JSON.stringify(rates));
    assert.ok(rates['JPEG q90, 2x larger'] >= 0.35, JSON.stringify(rates));
  });

  it('groups few distinct images: the false-group rate on 10,000 Fashion-MNIST test images is under 1 %', () => {
    const started = performance.now();
    const images = Array.from({ length: dataset.count }, (_, i) =>
      measureDecodedImage({ pixels: dataset.images.subarray(i * 784, (i + 1) * 784), height: 28, width: 28, channels: 1, source: { width: 28, height: 28 } }),
    );
    const measured = performance.now();
    const groups = groupDuplicates(images);
    const grouped = groups.near.flat().length + groups.exact.flat().length;
    console.log(
      `      ${grouped} of ${images.length} distinct images in ${groups.near.length} near / ${groups.exact.length} exact groups ` +
        `(${((100 * grouped) / images.length).toFixed(2)} %); measures ${(measured - started).toFixed(0)} ms, grouping ${(performance.now() - measured).toFixed(0)} ms`,
    );
    assert.equal(groups.exact.length, 0);
    assert.ok(grouped / images.length < 0.01, `${grouped} grouped`);
  });

  it('finds the same groups as comparing every pair, on crowded real hashes with exact and near copies among them', () => {
    const images: HashedImage[] = [];
    for (let i = 0; i < 1500; i++) {
      const image = measureDecodedImage({ pixels: dataset.images.subarray(i * 784, (i + 1) * 784), height: 28, width: 28, channels: 1, source: { width: 28, height: 28 } });
      images.push(image);
      if (i % 50 === 0) images.push(image); // an exact copy
      if (i % 50 === 25) {
        // A near copy: three hash bits flipped 22 apart (one in each of the index's slices), the thumbnail a grey level off.
        const flipped = BigInt(`0x${image.perceptualHash}`) ^ (((BigInt(1) << BigInt(44)) | (BigInt(1) << BigInt(22)) | BigInt(1)) << BigInt(i % 20));
        const thumbnail = Buffer.from(Buffer.from(image.thumbnail, 'hex').map((level) => Math.min(255, level + 1))).toString('hex');
        images.push({ pixelHash: `near ${i}`, perceptualHash: flipped.toString(16).padStart(16, '0'), thumbnail });
      }
    }
    for (const radius of [3, 8]) {
      // Union-find over every pair, as the rule reads: within `radius` bits and 7 grey levels RMS.
      const parent = images.map((_, i) => i);
      const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
      for (let i = 0; i < images.length; i++) {
        for (let j = i + 1; j < images.length; j++) {
          if (hammingDistance(images[i].perceptualHash, images[j].perceptualHash) <= radius && thumbnailDistance(images[i].thumbnail, images[j].thumbnail) <= 7) {
            parent[Math.max(find(i), find(j))] = Math.min(find(i), find(j));
          }
        }
      }
      const components = new Map<number, number[]>();
      images.forEach((_, i) => components.set(find(i), [...(components.get(find(i)) ?? []), i]));
      const expected = [...components.values()].filter((group) => group.length > 1 && !group.every((i) => images[i].pixelHash === images[group[0]].pixelHash));
      const groups = groupDuplicates(images, radius, 7);
      assert.deepEqual(groups.near, expected, `radius ${radius}`);
      assert.equal(groups.exact.length, 30);
      assert.ok(expected.length >= 30, `radius ${radius}: the near copies are found (${expected.length} groups)`);
    }
  });
});
