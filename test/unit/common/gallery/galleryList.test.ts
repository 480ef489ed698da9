import * as assert from 'node:assert/strict';
import { compareScoreDescending, galleryList, type GalleryListQuery } from '../../../../src/common/gallery/galleryList';

const scored = [
  { relativePath: 'b/two.png', instanceScore: 3 },
  { relativePath: 'a/one.png', instanceScore: 7 },
  { relativePath: 'a/tie.png', instanceScore: 3 },
  // Above 5 in float64, exactly 5 in float32: the webview holds float32 scores and calls it an inlier.
  { relativePath: 'c/edge.png', instanceScore: 5.0000000001 },
  { relativePath: 'c/low.png', instanceScore: -1 },
].sort(compareScoreDescending);
const failed = [{ relativePath: 'a/broken.png', reason: 'truncated' }, { relativePath: 'z/empty.png', reason: 'zero-byte file' }];
const query = (overrides: Partial<GalleryListQuery>): GalleryListQuery => ({ filter: 'all', sort: 'scoreDescending', search: '', threshold: 5, ...overrides });
const paths = (rows: ReturnType<typeof galleryList>): string[] => rows.map((row) => row.item.relativePath);

describe('the gallery query', () => {
  it('orders by score descending with ties by path, and lists failed files after, by name', () => {
    assert.deepEqual(paths(galleryList(query({}), scored, failed)), ['a/one.png', 'c/edge.png', 'a/tie.png', 'b/two.png', 'c/low.png', 'a/broken.png', 'z/empty.png']);
  });

  it('gives each scored image its rank in the whole score order, whatever the filter and sort', () => {
    const rows = galleryList(query({ filter: 'inliers', sort: 'name' }), scored, failed);
    assert.deepEqual(rows.map((row) => (row.kind === 'scored' ? [row.item.relativePath, row.rank] : null)), [['a/tie.png', 3], ['b/two.png', 4], ['c/edge.png', 2], ['c/low.png', 5]]);
  });

  it('calls outliers what is strictly above the threshold in float32, and lists no failed file with them', () => {
    assert.deepEqual(paths(galleryList(query({ filter: 'outliers' }), scored, failed)), ['a/one.png']);
    assert.deepEqual(paths(galleryList(query({ filter: 'outliers', threshold: 3 }), scored, failed)), ['a/one.png', 'c/edge.png']);
  });

  it('reverses the score order for ascending, and searches paths case-insensitively, failed files too', () => {
    assert.deepEqual(paths(galleryList(query({ sort: 'scoreAscending', search: 'A/' }), scored, failed)), ['a/tie.png', 'a/one.png', 'a/broken.png']);
    assert.deepEqual(paths(galleryList(query({ filter: 'errors', search: 'EMPTY' }), scored, failed)), ['z/empty.png']);
  });
});
