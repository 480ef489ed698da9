import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { drawSamples } from '../../../../src/engine/jobs/drawSamples';
import type { JobSink } from '../../../../src/engine/jobs/jobSink';
import type { ImageSet } from '../../../../src/engine/llr';
import { LlrDetector, toImageSet } from '../../../../src/engine/llr';

const TINY = { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 1, dropoutP: 0 } as const;

function stripes(count: number): ImageSet {
  return toImageSet(Uint8Array.from({ length: count * 6 * 6 }, (_, i) => (i % 6 < 3 ? 30 : 220)), [6, 6, 1]);
}

describe('The drawSamples job', function () {
  this.timeout(120_000);
  let detector: LlrDetector;
  before(async () => {
    await selectBackend('wasm');
    detector = await LlrDetector.fit(stripes(16), { epochs: 2, batchSize: 8, semanticConfig: TINY, seed: 4 });
  });
  after(() => detector.dispose());

  it('draws the same images for a seed and others for another seed, reporting every row, and tiles them as a PNG', async () => {
    const rows: number[] = [];
    const sink: JobSink = { progress: (update) => rows.push(update.done), log: () => undefined };
    const first = await drawSamples({ detector, role: 'semantic', count: 4, seed: 7, png: true }, sink);
    const again = await drawSamples({ detector, role: 'semantic', count: 4, seed: 7, png: false }, { progress: () => undefined, log: () => undefined });
    const other = await drawSamples({ detector, role: 'semantic', count: 4, seed: 8, png: false }, { progress: () => undefined, log: () => undefined });
    assert.equal(first.pixels.length, 4 * 6 * 6);
    assert.deepEqual(first.imageShape, [6, 6, 1]);
    assert.deepEqual(again.pixels, first.pixels);
    assert.notDeepEqual(other.pixels, first.pixels);
    assert.equal(again.png, null);
    assert.equal(Math.max(...rows), 6);
    const grid = await sharp(first.png as Uint8Array).metadata();
    assert.ok(grid.format === 'png' && (grid.width ?? 0) >= 12 && (grid.height ?? 0) >= 12, `${grid.width}×${grid.height}`);
  });
});
