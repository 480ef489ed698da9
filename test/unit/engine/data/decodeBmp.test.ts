import assert from 'node:assert/strict';
import { decodeBmp, decodeImage, ImageDecodeError } from '../../../../src/engine/data';
import { buildBmp } from './fixtures/buildBmp';

const RED = [255, 0, 0] as const;
const GREEN = [0, 255, 0] as const;
const BLUE = [0, 0, 255] as const;
const WHITE = [255, 255, 255] as const;
const BLACK = [0, 0, 0] as const;

describe('decodeBmp', () => {
  it('reads a 1-bit palette image with rows stored bottom-up', () => {
    // 3×2: top row white black white, bottom row black white black; 3 bits per row pad to 4 bytes.
    const bmp = buildBmp({ width: 3, height: 2, bitsPerPixel: 1, palette: [BLACK, WHITE], pixels: [1, 0, 1, 0, 1, 0] });
    const decoded = decodeBmp(bmp);
    assert.deepEqual([decoded.width, decoded.height, decoded.channels], [3, 2, 3]);
    assert.deepEqual([...decoded.data], [...WHITE, ...BLACK, ...WHITE, ...BLACK, ...WHITE, ...BLACK]);
  });

  it('reads a 4-bit palette image with an odd width', () => {
    const bmp = buildBmp({ width: 3, height: 1, bitsPerPixel: 4, palette: [BLACK, RED, GREEN, BLUE], pixels: [3, 1, 2] });
    assert.deepEqual([...decodeBmp(bmp).data], [...BLUE, ...RED, ...GREEN]);
  });

  it('reads an 8-bit palette image stored top-down', () => {
    const palette = Array.from({ length: 256 }, (_, i) => [i, 255 - i, (i * 7) & 0xff] as const);
    const bmp = buildBmp({ width: 2, height: 2, bitsPerPixel: 8, palette, pixels: [0, 10, 200, 255], topDown: true });
    assert.deepEqual([...decodeBmp(bmp).data], [0, 255, 0, 10, 245, 70, 200, 55, (200 * 7) & 0xff, 255, 0, (255 * 7) & 0xff]);
  });

  it('reads a palette from an OS/2 core header with 3-byte entries', () => {
    const bmp = buildBmp({ width: 2, height: 2, bitsPerPixel: 8, headerSize: 12, palette: [RED, GREEN, BLUE], pixels: [0, 1, 2, 0] });
    assert.deepEqual([...decodeBmp(bmp).data], [...RED, ...GREEN, ...BLUE, ...RED]);
  });

  it('reads 24-bit BGR rows with padding, bottom-up and top-down alike', () => {
    const pixels = [0x102030, 0x405060, 0x708090, 0xa0b0c0, 0xd0e0f0, 0x010203];
    const expected = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0, 1, 2, 3];
    assert.deepEqual([...decodeBmp(buildBmp({ width: 3, height: 2, bitsPerPixel: 24, pixels })).data], expected);
    assert.deepEqual([...decodeBmp(buildBmp({ width: 3, height: 2, bitsPerPixel: 24, pixels, topDown: true })).data], expected);
  });

  it('reads 16-bit 5-5-5 pixels scaled to 0–255', () => {
    const pixels = [0x7c00, 0x03e0, 0x001f, (16 << 10) | (1 << 5) | 0];
    const decoded = decodeBmp(buildBmp({ width: 2, height: 2, bitsPerPixel: 16, pixels }));
    assert.deepEqual([...decoded.data], [...RED, ...GREEN, ...BLUE, 132, 8, 0]);
  });

  it('reads 16-bit 5-6-5 pixels through BI_BITFIELDS masks', () => {
    const masks = [0xf800, 0x07e0, 0x001f, 0] as const;
    const pixels = [0xf800, 0x07e0, 0x001f, 0x0400];
    const decoded = decodeBmp(buildBmp({ width: 2, height: 2, bitsPerPixel: 16, compression: 3, masks, pixels }));
    assert.deepEqual([...decoded.data], [...RED, ...GREEN, ...BLUE, 0, Math.round((32 * 255) / 63), 0]);
  });

  it('reads 32-bit BI_RGB as opaque RGB, ignoring the fourth byte', () => {
    const pixels = [0x11ff0000, 0x2200ff00, 0x330000ff, 0x44808080];
    const decoded = decodeBmp(buildBmp({ width: 2, height: 2, bitsPerPixel: 32, pixels }));
    assert.equal(decoded.channels, 3);
    assert.deepEqual([...decoded.data], [...RED, ...GREEN, ...BLUE, 128, 128, 128]);
  });

  it('reads 32-bit V5 bit fields with alpha as RGBA', () => {
    const masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000] as const;
    const pixels = [0xffff0000, 0x8000ff00, 0x000000ff, 0xff102030];
    const decoded = decodeBmp(buildBmp({ width: 2, height: 2, bitsPerPixel: 32, headerSize: 124, compression: 3, masks, pixels }));
    assert.equal(decoded.channels, 4);
    assert.deepEqual([...decoded.data], [255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 0x10, 0x20, 0x30, 255]);
  });

  it('treats an all-zero alpha channel as opaque (V4 header, masks in the header)', () => {
    const masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000] as const;
    const decoded = decodeBmp(buildBmp({ width: 1, height: 1, bitsPerPixel: 32, headerSize: 108, compression: 3, masks, pixels: [0x00405060] }));
    assert.deepEqual([...decoded.data], [0x40, 0x50, 0x60, 255]);
  });

  it('rejects RLE8 with "unsupported BMP compression RLE8"', () => {
    const bmp = buildBmp({ width: 2, height: 2, bitsPerPixel: 8, compression: 1, palette: [BLACK], pixels: [0, 0, 0, 0] });
    assert.throws(
      () => decodeBmp(bmp),
      (error: unknown) => error instanceof ImageDecodeError && error.reason === 'unsupported BMP compression RLE8',
    );
  });

  it('reports a cut pixel array as "truncated BMP"', () => {
    const bmp = buildBmp({ width: 4, height: 4, bitsPerPixel: 24, pixels: new Array(16).fill(0) });
    assert.throws(() => decodeBmp(bmp.subarray(0, bmp.length - 20)), { reason: 'truncated BMP' });
  });

  it('refuses a header claiming more pixels than the limit before allocating them', () => {
    const bmp = buildBmp({ width: 1, height: 1, bitsPerPixel: 24, pixels: [0] });
    bmp.writeInt32LE(30000, 18);
    bmp.writeInt32LE(30000, 22);
    assert.throws(() => decodeBmp(bmp), { reason: 'image too large: 30000×30000 (limit 100 megapixels)' });
  });

  it('goes through the same gray and resize path as every other format', async () => {
    const pixels = [0xff0000, 0x00ff00, 0x0000ff, 0xffffff];
    const rgb = await decodeImage(buildBmp({ width: 2, height: 2, bitsPerPixel: 24, pixels }), { height: 2, width: 2, channels: 3 });
    assert.deepEqual([...rgb.pixels], [...RED, ...GREEN, ...BLUE, ...WHITE]);
    assert.deepEqual(rgb.source, { width: 2, height: 2, format: 'bmp', channels: 3 });
    const grays = buildBmp({ width: 2, height: 2, bitsPerPixel: 24, pixels: [0x404040, 0, 0xffffff, 0x808080] });
    const gray = await decodeImage(grays, { height: 2, width: 2, channels: 1 });
    assert.deepEqual([...gray.pixels], [0x40, 0, 255, 0x80]);
    const wide = buildBmp({ width: 56, height: 28, bitsPerPixel: 24, pixels: new Array(56 * 28).fill(0x646464) });
    const small = await decodeImage(wide, { height: 28, width: 28, channels: 1 });
    assert.ok(small.pixels.every((value) => value === 0x64));
  });
});
