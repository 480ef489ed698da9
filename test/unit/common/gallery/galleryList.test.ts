import * as assert from 'node:assert/strict';
import { ANY_REASON, countReasons, galleryList, galleryPositions, matchesReason, objectAccess } from '../../../../src/common/gallery/galleryList';

interface Image {
  readonly relativePath: string;
  readonly instanceScore: number;
  readonly reasons?: readonly string[];
}

// In the protocol's order: score descending, ties by path.
const images: Image[] = [
  { relativePath: 'b/9.png', instanceScore: 9, reasons: ['llr', 'exact-duplicate'] },
  { relativePath: 'a/7.png', instanceScore: 7 },
  { relativePath: 'c/5.png', instanceScore: 5, reasons: ['exact-duplicate'] },
  { relativePath: 'a/1.png', instanceScore: 1, reasons: ['dark'] },
];
const failures = [{ relativePath: 'z/broken.png', reason: 'truncated PNG' }];
const paths = (query: Parameters<typeof galleryList>[2]): string[] =>
  galleryList(images, failures, query, objectAccess((image) => image.reasons)).map((entry) => (entry.kind === 'scored' ? `${entry.image.relativePath}#${entry.rank}` : entry.failure.relativePath));

describe('the gallery list rule (host and test fake)', () => {
  it('lists by score with failed files last, and filters by reason without them', () => {
    assert.deepEqual(paths({ filter: 'all', sort: 'scoreDescending', search: '', threshold: 0 }), ['b/9.png#1', 'a/7.png#2', 'c/5.png#3', 'a/1.png#4', 'z/broken.png']);
    assert.deepEqual(paths({ filter: 'all', sort: 'scoreDescending', search: '', threshold: 0, reason: 'exact-duplicate' }), ['b/9.png#1', 'c/5.png#3']);
    assert.deepEqual(paths({ filter: 'all', sort: 'name', search: '', threshold: 0, reason: ANY_REASON }), ['a/1.png#4', 'b/9.png#1', 'c/5.png#3']);
    assert.deepEqual(paths({ filter: 'errors', sort: 'name', search: '', threshold: 0, reason: ANY_REASON }), [], 'a failed file has no reasons');
  });

  it('combines the reason with the threshold filters, the ascending sort and the search', () => {
    assert.deepEqual(paths({ filter: 'outliers', sort: 'scoreAscending', search: '', threshold: 4, reason: ANY_REASON }), ['c/5.png#3', 'b/9.png#1']);
    assert.deepEqual(paths({ filter: 'inliers', sort: 'scoreDescending', search: '', threshold: 4, reason: ANY_REASON }), ['a/1.png#4']);
    assert.deepEqual(paths({ filter: 'all', sort: 'scoreDescending', search: 'C/', threshold: 0, reason: 'exact-duplicate' }), ['c/5.png#3']);
  });

  it('gives the list as positions in one typed array, read by position: the host pages slots without an object per image', () => {
    const read: number[] = [];
    const access = {
      pathOf: (position: number) => images[position].relativePath,
      scoreOf: (position: number) => (read.push(position), images[position].instanceScore),
      reasonsOf: (position: number) => images[position].reasons,
    };
    const list = galleryPositions(images.length, failures, { filter: 'outliers', sort: 'name', search: '', threshold: 4 }, access);
    assert.ok(list.scored instanceof Int32Array);
    assert.deepEqual(Array.from(list.scored), [1, 0, 2], 'a/7, b/9, c/5 by name');
    assert.deepEqual(list.failed, [], 'failed files only under `all`');
    assert.deepEqual(read, [0, 1, 2, 3], 'each image read once, by position');
    const all = galleryPositions(images.length, failures, { filter: 'all', sort: 'scoreAscending', search: 'A/', threshold: 0 }, access);
    assert.deepEqual(Array.from(all.scored), [3, 1]);
    assert.deepEqual(all.failed, []);
    assert.deepEqual(galleryPositions(images.length, failures, { filter: 'errors', sort: 'name', search: 'broken', threshold: 0 }, access).failed, failures);
  });

  it('counts each reason once per image, and images with any', () => {
    assert.deepEqual(countReasons([...images, { relativePath: 'd.png', instanceScore: 0, reasons: ['dark', 'dark'] }], (image) => image.reasons), { any: 4, llr: 1, 'exact-duplicate': 2, dark: 2 });
    assert.equal(matchesReason(undefined, undefined), true);
    assert.equal(matchesReason([], ANY_REASON), false);
  });
});
