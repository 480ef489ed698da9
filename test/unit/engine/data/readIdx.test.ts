import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { IdxFormatError, readIdx } from '../../../../src/engine/data';
import { createTempFolder } from './fixtures/tempFolder';
import type { TempFolder } from './fixtures/tempFolder';

/** An idx file of unsigned bytes with the given dimensions and data 0, 1, 2, … */
function buildIdx(shape: number[], dataLength = shape.reduce((product, size) => product * size, 1)): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header.writeUInt32BE(0x00000800 + shape.length, 0);
  shape.forEach((size, i) => header.writeUInt32BE(size, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Array.from({ length: dataLength }, (_, i) => i & 0xff))]);
}

describe('readIdx', () => {
  let folder: TempFolder;

  before(() => {
    folder = createTempFolder('idx');
  });

  after(() => {
    folder.remove();
  });

  it('reads a label file (magic 0x00000801) and an image file (magic 0x00000803)', async () => {
    const labels = await readIdx(buildIdx([5]));
    assert.deepEqual(labels.shape, [5]);
    assert.deepEqual([...labels.data], [0, 1, 2, 3, 4]);
    const images = await readIdx(buildIdx([2, 3, 4]));
    assert.deepEqual(images.shape, [2, 3, 4]);
    assert.equal(images.data.length, 24);
    assert.equal(images.data[23], 23);
    assert.equal(Object.getPrototypeOf(images.data), Uint8Array.prototype);
  });

  it('recognises gzip by its magic bytes whatever the file is called', async () => {
    const file = folder.write('images.bin', gzipSync(buildIdx([2, 3, 4])));
    assert.deepEqual((await readIdx(file)).shape, [2, 3, 4]);
    const plainNamedGz = folder.write('labels.gz', buildIdx([3]));
    assert.deepEqual((await readIdx(plainNamedGz)).shape, [3]);
  });

  it('reports a short file as "truncated idx file: expected N bytes, got M"', async () => {
    const file = folder.write('short-idx3-ubyte', buildIdx([10, 28, 28], 1000 - 16));
    await assert.rejects(readIdx(file), (error: unknown) =>
      error instanceof IdxFormatError && error.path === file && error.reason === 'truncated idx file: expected 7856 bytes, got 1000');
  });

  it('reports cut gzip data as truncated', async () => {
    const gz = gzipSync(buildIdx([100, 28, 28]));
    await assert.rejects(readIdx(gz.subarray(0, gz.length - 100)), { reason: 'truncated gzip data' });
  });

  it('rejects a wrong magic number, naming the expected ones', async () => {
    await assert.rejects(readIdx(Buffer.from('PK\x03\x04 not idx at all')), {
      reason: 'not an idx file: magic number 0x504b0304 (expected 0x00000801 for labels or 0x00000803 for images)',
    });
  });

  it('rejects data types other than unsigned bytes', async () => {
    const floats = buildIdx([2]);
    floats[2] = 0x0d;
    await assert.rejects(readIdx(floats), { reason: 'unsupported idx data type 0x0d (only unsigned bytes, 0x08)' });
  });

  it('rejects trailing bytes after the data', async () => {
    await assert.rejects(readIdx(buildIdx([2, 2], 5)), { reason: 'idx file too long: expected 16 bytes, got 17' });
  });
});
