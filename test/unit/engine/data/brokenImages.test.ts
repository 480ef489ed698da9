import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { decodeImage, decodeImages, ImageDecodeError } from '../../../../src/engine/data';
import type { ImageDecodeResult } from '../../../../src/engine/data';
import { buildBmp } from './fixtures/buildBmp';
import { craftPngHeader } from './fixtures/craftPng';
import { createTempFolder, runsAsRoot } from './fixtures/tempFolder';
import type { TempFolder } from './fixtures/tempFolder';

const TARGET = { height: 28, width: 28, channels: 1 } as const;

/** The reason decodeImage gives for `file`, or a failure if it decodes. */
async function reasonFor(file: string | Uint8Array): Promise<string> {
  try {
    await decodeImage(file, TARGET);
  } catch (error) {
    assert.ok(error instanceof ImageDecodeError, `expected ImageDecodeError, got ${String(error)}`);
    return error.reason;
  }
  assert.fail('decoded a broken file');
}

/** Encodes 64×64 noise, which compresses poorly, so a cut lands inside the pixel data. */
async function noise(encode: (image: Sharp) => Sharp): Promise<Buffer> {
  return encode(sharp(randomBytes(64 * 64 * 3), { raw: { width: 64, height: 64, channels: 3 } })).toBuffer();
}

const cut = (bytes: Buffer, fraction: number): Buffer => bytes.subarray(0, Math.floor(bytes.length * fraction));

describe('decoding broken files', () => {
  let folder: TempFolder;

  before(() => {
    folder = createTempFolder('broken');
  });

  after(() => {
    folder.remove();
  });

  it('reports a truncated PNG as "truncated PNG"', async () => {
    const png = await noise((image) => image.png());
    assert.equal(await reasonFor(folder.write('cut.png', cut(png, 0.6))), 'truncated PNG');
    assert.equal(await reasonFor(cut(png, 0.01)), 'truncated PNG');
  });

  it('reports truncated JPEG, WebP, GIF and TIFF files by their real format', async () => {
    assert.equal(await reasonFor(cut(await noise((image) => image.jpeg()), 0.7)), 'truncated JPEG');
    assert.equal(await reasonFor(cut(await noise((image) => image.webp()), 0.7)), 'truncated WebP');
    assert.equal(await reasonFor(cut(await noise((image) => image.gif()), 0.7)), 'truncated GIF');
    assert.equal(await reasonFor(cut(await noise((image) => image.tiff()), 0.7)), 'truncated TIFF');
  });

  it('reports a complete PNG with damaged pixel data as corrupt, not truncated', async () => {
    const png = Buffer.from(await noise((image) => image.png()));
    png[Math.floor(png.length / 2)] ^= 0xff;
    assert.match(await reasonFor(png), /^corrupt PNG \(.+\)$/);
  });

  it('reports random bytes named .png as "not an image (unrecognised format)"', async () => {
    assert.equal(await reasonFor(folder.write('random.png', randomBytes(1000))), 'not an image (unrecognised format)');
  });

  it('reports a text file named .jpg as "not an image (unrecognised format)"', async () => {
    assert.equal(await reasonFor(folder.write('notes.jpg', 'BMW service notes\nnothing to see here\n')), 'not an image (unrecognised format)');
  });

  it('reports a zero-byte file as "empty file"', async () => {
    assert.equal(await reasonFor(folder.write('empty.png', '')), 'empty file');
    assert.equal(await reasonFor(new Uint8Array(0)), 'empty file');
  });

  it('refuses a PNG whose header claims 30000×30000 before decoding it', async () => {
    const bomb = craftPngHeader(30000, 30000);
    assert.ok(bomb.length < 200);
    assert.equal(await reasonFor(folder.write('bomb.png', bomb)), 'image too large: 30000×30000 (limit 100 megapixels)');
  });

  it('applies a caller-given pixel limit', async () => {
    const png = await noise((image) => image.png());
    await assert.rejects(decodeImage(png, TARGET, { limitInputPixels: 4000 }), {
      reason: 'image too large: 64×64 (limit 0.004 megapixels)',
    });
    assert.equal((await decodeImage(png, TARGET, { limitInputPixels: 4096 })).source.width, 64);
  });

  it('reports a folder named x.png as "is a folder, not an image file"', async () => {
    fs.mkdirSync(folder.at('x.png'));
    assert.equal(await reasonFor(folder.at('x.png')), 'is a folder, not an image file');
  });

  it('reports a missing file as "file not found"', async () => {
    assert.equal(await reasonFor(folder.at('gone.png')), 'file not found');
  });

  it('reports an unreadable file as "permission denied"', async function () {
    if (runsAsRoot) this.skip(); // root reads any file regardless of its mode
    const file = folder.write('locked.png', await noise((image) => image.png()));
    fs.chmodSync(file, 0o000);
    assert.equal(await reasonFor(file), 'permission denied');
  });

  it('reports an RLE8 BMP as "unsupported BMP compression RLE8" with the file path', async () => {
    const file = folder.write('rle.bmp', buildBmp({ width: 2, height: 2, bitsPerPixel: 8, compression: 1, palette: [[0, 0, 0]], pixels: [0, 0, 0, 0] }));
    await assert.rejects(decodeImage(file, TARGET), (error: unknown) =>
      error instanceof ImageDecodeError && error.path === file && error.reason === 'unsupported BMP compression RLE8');
  });

  it('decodes a PNG saved with a .jpg extension, trusting the content', async () => {
    const file = folder.write('actually-png.jpg', await noise((image) => image.png()));
    assert.equal((await decodeImage(file, TARGET)).source.format, 'png');
  });
});

describe('decodeImages', () => {
  let folder: TempFolder;

  before(() => {
    folder = createTempFolder('batch');
  });

  after(() => {
    folder.remove();
  });

  it('yields every file in input order, with errors for bad files, and goes on', async () => {
    const good = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } }).png().toBuffer();
    const names = ['a.png', 'cut.png', 'b.png', 'empty.png', 'random.png', 'c.png', 'bomb.png', 'd.png'];
    const contents: Record<string, Uint8Array> = {
      'cut.png': good.subarray(0, 60),
      'empty.png': new Uint8Array(0),
      'random.png': randomBytes(500),
      'bomb.png': craftPngHeader(30000, 30000),
    };
    const entries = names.map((name) => ({ path: folder.write(name, contents[name] ?? good), label: name }));
    const results: ImageDecodeResult<(typeof entries)[number]>[] = [];
    for await (const result of decodeImages(entries, TARGET, { concurrency: 3 })) results.push(result);

    assert.deepEqual(results.map((result) => result.entry.label), names);
    const outcomes = results.map((result) => ('error' in result ? result.error.reason : `ok ${result.image.pixels[0]}`));
    assert.deepEqual(outcomes, [
      'ok 128', 'truncated PNG', 'ok 128', 'empty file', 'not an image (unrecognised format)', 'ok 128',
      'image too large: 30000×30000 (limit 100 megapixels)', 'ok 128',
    ]);
  });

  it('keeps at most `concurrency` decodes in flight and lets the caller stop early', async () => {
    const black = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    const good = folder.write('one.png', black);
    const started: number[] = [];
    function* entries(): Generator<{ path: string }> {
      for (let i = 0; i < 50; i++) {
        started.push(i);
        yield { path: good };
      }
    }
    let seen = 0;
    for await (const result of decodeImages(entries(), TARGET, { concurrency: 2 })) {
      assert.ok('image' in result);
      if (++seen === 3) break;
    }
    assert.equal(seen, 3);
    assert.ok(started.length <= 4, `pulled ${started.length} entries for 3 results`);
  });

  it('rejects a concurrency below 1', async () => {
    await assert.rejects(decodeImages([], TARGET, { concurrency: 0 }).next(), RangeError);
  });
});
