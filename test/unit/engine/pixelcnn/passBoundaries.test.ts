import * as assert from 'node:assert/strict';
import { passBoundaries } from '../../../../src/engine/pixelcnn/model';

/** The pass sizes of `boundaries`. */
function sizes(boundaries: number[]): number[] {
  return boundaries.slice(1).map((end, pass) => end - boundaries[pass]);
}

describe('Training passes of a batch', () => {
  it('splits 64 images at 9 a pass into eight passes of 8, not seven of 9 and one of 1', () => {
    assert.deepEqual(sizes(passBoundaries(64, 9)), [8, 8, 8, 8, 8, 8, 8, 8]);
    assert.deepEqual(sizes(passBoundaries(32, 9)), [8, 8, 8, 8]);
  });

  it('keeps a batch that fits whole in one pass', () => {
    assert.deepEqual(passBoundaries(32, Number.POSITIVE_INFINITY), [0, 32]);
    assert.deepEqual(passBoundaries(7, 7), [0, 7]);
  });

  it('covers every image once, in as few passes as the limit allows, sizes within the limit and one apart at most', () => {
    for (let batch = 1; batch <= 70; batch++) {
      for (const limit of [0.5, 1, 2, 3, 5, 9, 16, 50, 100]) {
        const boundaries = passBoundaries(batch, limit);
        const passSizes = sizes(boundaries);
        const allowed = Math.max(1, Math.floor(Math.min(limit, batch)));
        const label = `batch ${batch}, limit ${limit}: ${passSizes.join(' ')}`;
        assert.equal(boundaries[0], 0, label);
        assert.equal(boundaries[boundaries.length - 1], batch, label);
        assert.equal(passSizes.length, Math.ceil(batch / allowed), label);
        assert.ok(passSizes.every((size) => size >= 1 && size <= allowed), label);
        assert.ok(Math.max(...passSizes) - Math.min(...passSizes) <= 1, label);
      }
    }
  });
});
