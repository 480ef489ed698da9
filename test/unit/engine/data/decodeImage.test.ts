import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { decodeImage, decodeImageForDisplay } from '../../../../src/engine/data';
import { buildBmp } from './fixtures/buildBmp';
import { createTempFolder } from './fixtures/tempFolder';
import type { TempFolder } from './fixtures/tempFolder';

const RGB_28 = { height: 28, width: 28, channels: 3 } as const;
const GRAY_28 = { height: 28, width: 28, channels: 1 } as const;

/** Raw pixels as sharp sees them, to build test images from. */
const raw = (pixels: Uint8Array, width: number, height: number, channels: 1 | 2 | 3 | 4): Sharp =>
  sharp(pixels, { raw: { width, height, channels } });

describe('decodeImage', () => {
  let folder: TempFolder;
  const noiseRgb = new Uint8Array(randomBytes(28 * 28 * 3));
  const noiseGray = new Uint8Array(randomBytes(28 * 28));

  before(() => {
    folder = createTempFolder('decode');
  });

  after(() => {
    folder.remove();
  });

  it('passes every lossless format through bit for bit when it is already at the target size', async () => {
    const encoders: Record<string, (image: Sharp) => Sharp> = {
      png: (image) => image.png(),
      webp: (image) => image.webp({ lossless: true }),
      tiff: (image) => image.tiff({ compression: 'lzw' }),
      avif: (image) => image.avif({ lossless: true }),
    };
    for (const [format, encode] of Object.entries(encoders)) {
      const file = folder.write(`noise.${format}`, await encode(raw(noiseRgb, 28, 28, 3)).toBuffer());
      const decoded = await decodeImage(file, RGB_28);
      assert.deepEqual(decoded.source, { width: 28, height: 28, format, channels: 3 }, format);
      assert.deepEqual(decoded.pixels, noiseRgb, `${format} pixels changed`);
    }
  });

  it('passes a gray PNG through bit for bit to a gray target, and as R = G = B to an RGB target', async () => {
    const png = await raw(noiseGray, 28, 28, 1).toColourspace('b-w').png().toBuffer();
    assert.equal((await sharp(png).metadata()).channels, 1);
    const gray = await decodeImage(png, GRAY_28);
    assert.deepEqual(gray.pixels, noiseGray);
    const rgb = await decodeImage(png, RGB_28);
    for (let i = 0; i < noiseGray.length; i++) {
      assert.deepEqual([...rgb.pixels.subarray(i * 3, i * 3 + 3)], [noiseGray[i], noiseGray[i], noiseGray[i]]);
    }
  });

  it('returns HWC pixels of length height × width × channels', async () => {
    const png = await raw(noiseRgb, 28, 28, 3).png().toBuffer();
    const decoded = await decodeImage(png, { height: 7, width: 5, channels: 3 });
    assert.equal(decoded.pixels.length, 7 * 5 * 3);
    assert.deepEqual([decoded.height, decoded.width, decoded.channels], [7, 5, 3]);
    assert.ok(decoded.pixels instanceof Uint8Array);
  });

  it('converts colour to gray by luminance, keeping neutral grays unchanged', async () => {
    const pixels = new Uint8Array([128, 128, 128, 255, 255, 255, 0, 0, 0, 0, 255, 0]);
    const decoded = await decodeImage(await raw(pixels, 2, 2, 3).png().toBuffer(), { height: 2, width: 2, channels: 1 });
    assert.deepEqual([...decoded.pixels.subarray(0, 3)], [128, 255, 0]);
    // Pure green is far brighter than pure blue would be: luminance, not an average.
    assert.ok(decoded.pixels[3] > 200, `green became ${decoded.pixels[3]}`);
  });

  it('stretches a 56×28 image to 28×28 without keeping the aspect ratio', async () => {
    // Left half black, right half white: stretching keeps the edge in the middle column.
    const wide = new Uint8Array(56 * 28).map((_, i) => (i % 56 < 28 ? 0 : 255));
    const png = await raw(wide, 56, 28, 1).toColourspace('b-w').png().toBuffer();
    const decoded = await decodeImage(png, GRAY_28);
    assert.deepEqual(decoded.source, { width: 56, height: 28, format: 'png', channels: 1 });
    assert.equal(decoded.pixels[0], 0);
    assert.equal(decoded.pixels[27], 255);
    assert.equal(decoded.pixels[27 * 28 + 5], 0);
    assert.equal(decoded.pixels[27 * 28 + 22], 255);
  });

  it('resizes large photos of every format to 28×28 gray and RGB', async () => {
    const photo = raw(new Uint8Array(randomBytes(300 * 200 * 3)), 300, 200, 3);
    const files = {
      jpg: await photo.clone().jpeg().toBuffer(),
      gif: await photo.clone().gif().toBuffer(),
      webp: await photo.clone().webp().toBuffer(),
      tif: await photo.clone().tiff().toBuffer(),
      avif: await photo.clone().avif({ effort: 0 }).toBuffer(),
      bmp: buildBmp({ width: 300, height: 200, bitsPerPixel: 24, pixels: new Array(300 * 200).fill(0x336699) }),
    };
    for (const [extension, bytes] of Object.entries(files)) {
      const file = folder.write(`photo.${extension}`, bytes);
      for (const target of [GRAY_28, RGB_28]) {
        const decoded = await decodeImage(file, target);
        assert.equal(decoded.pixels.length, 28 * 28 * target.channels, extension);
        assert.deepEqual([decoded.source.width, decoded.source.height], [300, 200], extension);
      }
    }
  });

  it('flattens transparency onto black', async () => {
    const rgba = new Uint8Array([255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255, 200, 200, 200, 255]);
    const decoded = await decodeImage(await raw(rgba, 2, 2, 4).png().toBuffer(), { height: 2, width: 2, channels: 3 });
    assert.deepEqual([...decoded.pixels], [0, 0, 0, 0, 128, 0, 0, 0, 255, 200, 200, 200]);
  });

  it('reduces a 16-bit PNG to 8-bit samples', async () => {
    const png = await raw(noiseRgb, 28, 28, 3).toColourspace('rgb16').png().toBuffer();
    assert.equal((await sharp(png).metadata()).depth, 'ushort');
    assert.deepEqual((await decodeImage(png, RGB_28)).pixels, noiseRgb);
  });

  it('takes only the first frame of an animated GIF and WebP', async () => {
    const whiteThenBlack = new Uint8Array(4 * 8 * 4).map((_, i) => (i < 4 * 4 * 4 || i % 4 === 3 ? 255 : 0));
    const animation = sharp(whiteThenBlack, { raw: { width: 4, height: 8, channels: 4, pageHeight: 4 } });
    for (const bytes of [await animation.clone().gif().toBuffer(), await animation.clone().webp({ lossless: true }).toBuffer()]) {
      assert.equal((await sharp(bytes).metadata()).pages, 2);
      const decoded = await decodeImage(bytes, { height: 4, width: 4, channels: 1 });
      assert.deepEqual(decoded.source.height, 4);
      assert.ok(decoded.pixels.every((value) => value === 255));
    }
  });

  it('applies the EXIF orientation, as a person sees the photo', async () => {
    // Stored 2 wide × 1 high, orientation 6 (rotate 90° clockwise) shows 1 wide × 2 high.
    const jpeg = await raw(new Uint8Array([0, 0, 0, 255, 255, 255]), 2, 1, 3).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    const decoded = await decodeImage(jpeg, { height: 2, width: 1, channels: 1 });
    assert.deepEqual([decoded.source.width, decoded.source.height], [1, 2]);
    assert.ok(decoded.pixels[0] < 30 && decoded.pixels[1] > 225, `got ${[...decoded.pixels]}`);
  });

  it('rejects an invalid target with a RangeError', async () => {
    await assert.rejects(decodeImage(Buffer.alloc(1), { height: 0, width: 28, channels: 1 }), RangeError);
    await assert.rejects(decodeImage(Buffer.alloc(1), { height: 28, width: 28, channels: 2 as 1 }), RangeError);
  });
});

describe('decodeImageForDisplay', () => {
  let folder: TempFolder;

  before(() => {
    folder = createTempFolder('display');
  });

  after(() => {
    folder.remove();
  });

  it('turns a BMP and a TIFF into PNG bytes at their original size', async () => {
    const bmp = folder.write('a.bmp', buildBmp({ width: 3, height: 2, bitsPerPixel: 24, pixels: [0xff0000, 0, 0, 0, 0, 0x0000ff] }));
    const tiff = folder.write('b.tif', await raw(new Uint8Array(5 * 4 * 3).fill(90), 5, 4, 3).tiff().toBuffer());
    for (const [file, width, height] of [[bmp, 3, 2], [tiff, 5, 4]] as const) {
      const png = await decodeImageForDisplay(file);
      const metadata = await sharp(png).metadata();
      assert.deepEqual([metadata.format, metadata.width, metadata.height], ['png', width, height]);
    }
    const { data } = await sharp(await decodeImageForDisplay(bmp)).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([...data.subarray(0, 3)], [255, 0, 0]);
  });

  it('fails with the same reasons as decodeImage', async () => {
    await assert.rejects(decodeImageForDisplay(folder.write('empty.tif', '')), { reason: 'empty file' });
  });
});
