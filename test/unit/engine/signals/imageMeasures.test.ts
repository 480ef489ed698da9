import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage } from '../../../../src/engine/data/image/decodeImage';
import { findOddSizes, groupDuplicates, hammingDistance, measureImage, perceptualSignature } from '../../../../src/engine/signals';
import { measureDecodedImage } from '../../../../src/engine/signals/measureDecodedImage';
import type { HashedImage } from '../../../../src/engine/signals';

/** A deterministic stream of uniform bytes. */
function bytes(count: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: count }, () => (state = (state * 1103515245 + 12345) % 2147483648) >>> 23);
}

describe('image checks', () => {
  it('measures a constant image as zero information and zero sharpness, at its grey level', () => {
    for (const level of [0, 37, 128, 255]) {
      const measures = measureImage(new Uint8Array(28 * 28).fill(level), 28, 28, 1);
      assert.deepEqual(measures, { brightness: level, entropy: 0, sharpness: 0, greyAsRgb: null });
    }
  });

  it('measures uniform noise near 8 bits of entropy and far sharper than a smooth gradient', () => {
    const noise = measureImage(bytes(64 * 64, 1), 64, 64, 1);
    const gradient = measureImage(Uint8Array.from({ length: 64 * 64 }, (_, i) => (i % 64) * 4), 64, 64, 1);
    assert.ok(noise.entropy > 7.9 && noise.entropy <= 8, `${noise.entropy}`);
    assert.ok(Math.abs(noise.brightness - 127.5) < 3, `${noise.brightness}`);
    assert.equal(gradient.sharpness, 0); // a linear ramp has no Laplacian
    assert.ok(noise.sharpness > 10_000, `${noise.sharpness}`);
  });

  it('tells RGB with three equal channels from colour', () => {
    const grey = bytes(16 * 16, 2);
    const asRgb = new Uint8Array(16 * 16 * 3).map((_, i) => grey[Math.floor(i / 3)]);
    assert.equal(measureImage(asRgb, 16, 16, 3).greyAsRgb, true);
    asRgb[100] ^= 1;
    assert.equal(measureImage(asRgb, 16, 16, 3).greyAsRgb, false);
  });

  it('does not call a grey file decoded to three channels (a three-channel detector) grey stored as RGB', async () => {
    const grey = bytes(16 * 16, 3);
    const file = await sharp(Buffer.from(grey), { raw: { width: 16, height: 16, channels: 1 } }).toColourspace('b-w').png().toBuffer();
    const storedRgb = await sharp(Buffer.from(grey), { raw: { width: 16, height: 16, channels: 1 } }).toColourspace('srgb').png().toBuffer();
    const target = { height: 16, width: 16, channels: 3 } as const;
    const fromGrey = await decodeImage(new Uint8Array(file), target);
    const fromRgb = await decodeImage(new Uint8Array(storedRgb), target);
    assert.deepEqual([fromGrey.source.channels, fromRgb.source.channels], [1, 3]);
    assert.equal(measureDecodedImage(fromGrey).greyAsRgb, null);
    assert.equal(measureDecodedImage(fromRgb).greyAsRgb, true);
  });

  it('finds the odd size and aspect ratio in a folder, and none in a folder of one size', () => {
    const sizes = [...Array.from({ length: 20 }, () => ({ sourceWidth: 640, sourceHeight: 480 })), { sourceWidth: 64, sourceHeight: 48 }, { sourceWidth: 640, sourceHeight: 160 }, { sourceWidth: 600, sourceHeight: 470 }];
    assert.deepEqual(findOddSizes(sizes).flatMap((odd, i) => (odd ? [i] : [])), [20, 21]);
    assert.deepEqual(findOddSizes(sizes.slice(0, 20)).filter(Boolean), []);
  });
});

describe('near-duplicate grouping', () => {
  it('finds exactly the pairs a brute-force comparison finds within the radius (pigeonhole candidates miss none)', () => {
    const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex');
    const thumbnail = hex(new Uint8Array(64).fill(9));
    const images: HashedImage[] = [];
    for (let i = 0; i < 300; i++) {
      const hash = bytes(8, 1000 + i);
      images.push({ pixelHash: `a${i}`, perceptualHash: hex(hash), thumbnail });
      if (i % 3 === 0) {
        const near = Uint8Array.from(hash);
        for (let flip = 0; flip < i % 11; flip++) near[(flip * 5) % 8] ^= 1 << flip % 8;
        images.push({ pixelHash: `b${i}`, perceptualHash: hex(near), thumbnail });
      }
    }
    for (const radius of [0, 3, 8]) {
      const found = new Set(groupDuplicates(images, radius, 255).near.flatMap((group) => group));
      const expected = new Set<number>();
      images.forEach((a, i) => images.forEach((b, j) => i !== j && hammingDistance(a.perceptualHash, b.perceptualHash) <= radius && expected.add(i)));
      assert.deepEqual([...found].sort((a, b) => a - b), [...expected].sort((a, b) => a - b), `radius ${radius}`);
    }
  });

  it('keeps apart hashes that match when their thumbnails differ by more than the limit', () => {
    const image = perceptualSignature(bytes(28 * 28, 5), 28, 28);
    const levels = Buffer.from(image.thumbnail, 'hex');
    const shifted = (by: number): string => Buffer.from(levels.map((level) => Math.min(255, level + by))).toString('hex');
    const images = [{ ...image, pixelHash: '1' }, { perceptualHash: image.perceptualHash, thumbnail: shifted(20), pixelHash: '2' }, { perceptualHash: image.perceptualHash, thumbnail: shifted(3), pixelHash: '3' }];
    assert.deepEqual(groupDuplicates(images).near, [[0, 2]]);
  });
});
