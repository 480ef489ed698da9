// The webview's pure logic (no DOM) checked in Node against independent computations.
import assert from 'node:assert/strict';
import type { GalleryQuery, PageReply } from '../../src/protocol/webview';
import { LABEL_CODE } from '../../src/protocol/webview';
import { galleryKeyAction } from '../../webview/gallery/galleryKeyboard';
import { gestureOf, nextSelection } from '../../webview/gallery/gallerySelection';
import { resolveQuery } from '../../webview/gallery/galleryQuery';
import { PageCache } from '../../webview/gallery/pageCache';
import { GroundTruth } from '../../webview/scores/groundTruth';
import { ScoreIndex } from '../../webview/scores/scoreIndex';
import { DEFAULT_OPTIONS, generateResultSet } from './fixtures/resultSet';
import { f1At, numpyPercentile, outlierCount, percentileOf, rankSumAuroc } from './fixtures/expectations';

const resultSet = generateResultSet(DEFAULT_OPTIONS);
const scores = new Float32Array(resultSet.scored.map((image) => image.instanceScore));
const labels = Uint8Array.from(resultSet.scored, (image) => (image.label === 'outlier' ? LABEL_CODE.outlier : LABEL_CODE.inlier));
const index = ScoreIndex.fromScores(scores);

describe('webview logic: scores, ground truth, queries, keys, page cache', () => {
  it('gives numpy’s percentiles and their inverse, and counts by binary search', () => {
    for (const percentile of [0, 12.5, 50, 86.3, 99.9, 100]) {
      assert.ok(Math.abs(index.valueAtPercentile(percentile) - numpyPercentile(resultSet, percentile)) < 1e-9);
    }
    for (const value of [-100, -3.7, 20, 61.25, 500]) {
      assert.equal(index.outlierCount(value), outlierCount(resultSet, value));
      assert.ok(Math.abs(index.percentileOf(value) - percentileOf(resultSet, value)) < 1e-12);
    }
  });

  it('ranks NaN scores below every number: never outliers, last in rank, not the lowest score shown', () => {
    const withNaN = ScoreIndex.fromScores(new Float32Array([3, Number.NaN, 1, 2, Number.NaN]));
    assert.deepEqual([withNaN.min, withNaN.max], [1, 3]);
    assert.deepEqual([withNaN.outlierCount(-Infinity), withNaN.inlierCount(2)], [3, 4]);
    assert.equal(withNaN.percentileOf(0), 40);
    assert.deepEqual([3, 1, Number.NaN].map((score) => withNaN.rankOf(score)), [1, 3, 4]);
    const truth = GroundTruth.fromLabels(new Float32Array([Number.NaN, 2, Number.NaN, 1]), new Uint8Array([LABEL_CODE.outlier, LABEL_CODE.inlier, LABEL_CODE.inlier, LABEL_CODE.outlier]));
    // Outlier NaN: loses to 2, ties NaN; outlier 1: loses to 2, beats NaN.
    assert.equal(truth?.auroc, 0.375);
    assert.equal(truth?.qualityAt(-Infinity).truePositives, 1);
  });

  it('computes AUROC as the rank-sum statistic, AUPRC as average precision, and F1 at a threshold', () => {
    const truth = GroundTruth.fromLabels(scores, labels);
    assert.ok(truth);
    assert.ok(Math.abs(truth.auroc - rankSumAuroc(resultSet)) < 1e-12);
    // Average precision, independently: mean precision at each true outlier, scores descending.
    const ranked = resultSet.scored.map((image) => ({ score: Math.fround(image.instanceScore), positive: image.label === 'outlier' })).sort((a, b) => b.score - a.score);
    let hits = 0;
    let sum = 0;
    ranked.forEach((entry, position) => {
      if (entry.positive) sum += ++hits / (position + 1);
    });
    assert.ok(Math.abs(truth.auprc - sum / hits) < 1e-9);
    for (const threshold of [0, 20, 45]) assert.ok(Math.abs(truth.qualityAt(threshold).f1 - f1At(resultSet, threshold)) < 1e-12);
    assert.equal(GroundTruth.fromLabels(scores, new Uint8Array(scores.length).fill(LABEL_CODE.inlier)), undefined, 'one class only: no ROC');
  });

  it('maps outliers/inliers in score order onto windows of the cached "all" list', () => {
    const threshold = 20;
    const outliers = index.outlierCount(threshold);
    const view = (filter: GalleryQuery['filter'], sort: GalleryQuery['sort'], search = ''): ReturnType<typeof resolveQuery> =>
      resolveQuery({ filter, sort, search, threshold, reason: '' }, index, 5);
    const all = { filter: 'all', sort: 'scoreDescending', search: '', threshold: 0 };
    assert.deepEqual(view('outliers', 'scoreDescending'), { hostQuery: all, offset: 0, knownTotal: outliers });
    assert.deepEqual(view('inliers', 'scoreDescending'), { hostQuery: all, offset: outliers, knownTotal: index.count - outliers });
    assert.deepEqual(view('outliers', 'scoreAscending').offset, index.count - outliers);
    assert.deepEqual(view('all', 'name').knownTotal, index.count + 5);
    assert.deepEqual(view('outliers', 'name').hostQuery, { filter: 'outliers', sort: 'name', search: '', threshold });
    assert.equal(view('outliers', 'scoreDescending', 'digit').knownTotal, undefined, 'a search asks the host for its total');
    assert.deepEqual(view('errors', 'scoreDescending'), { hostQuery: { filter: 'errors', sort: 'name', search: '', threshold: 0 }, offset: 0, knownTotal: 5 });
    // A reason filter is the host's: the snapshot's count sizes an unsearched list of all images.
    const counts = { any: 40, 'near-duplicate': 12 };
    assert.deepEqual(resolveQuery({ filter: 'all', sort: 'scoreDescending', search: '', threshold, reason: 'near-duplicate' }, index, 5, counts), {
      hostQuery: { filter: 'all', sort: 'scoreDescending', search: '', threshold: 0, reason: 'near-duplicate' }, offset: 0, knownTotal: 12,
    });
    assert.equal(resolveQuery({ filter: 'outliers', sort: 'name', search: '', threshold, reason: 'any' }, index, 5, counts).knownTotal, undefined, 'the host counts outliers with a reason');
    assert.equal(resolveQuery({ filter: 'all', sort: 'name', search: '', threshold, reason: 'dark' }, index, 5, counts).knownTotal, 0, 'a reason nobody has');
  });

  it('maps keys to gallery actions, clamped to the list', () => {
    const press = (key: string, modifiers: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers });
    const at = { index: 5, columns: 4, total: 10, rowsPerPage: 2 };
    assert.deepEqual(galleryKeyAction(press('ArrowDown'), at), { kind: 'select', index: 9 });
    assert.deepEqual(galleryKeyAction(press('ArrowDown'), { ...at, index: 8 }), { kind: 'select', index: 9 });
    assert.deepEqual(galleryKeyAction(press('PageUp'), at), { kind: 'select', index: 0 });
    assert.deepEqual(galleryKeyAction(press('Enter'), at), { kind: 'openDetail' });
    assert.deepEqual(galleryKeyAction(press('Enter', { metaKey: true }), at), { kind: 'openImage' });
    assert.deepEqual(galleryKeyAction(press('R', { shiftKey: true, altKey: true }), at), { kind: 'reveal' });
    assert.deepEqual(galleryKeyAction(press(' '), at), { kind: 'toggleSelection' });
    assert.equal(galleryKeyAction(press('x'), at), undefined);
  });

  it('merges requests for a page in flight and drops the least recently used page', async () => {
    const requested: number[] = [];
    const query: GalleryQuery = { filter: 'all', sort: 'name', search: '', threshold: 0 };
    const cache = new PageCache(async (_query, offset, limit): Promise<PageReply> => {
      requested.push(offset);
      const items = Array.from({ length: limit }, (_, k) => ({ kind: 'failed' as const, relativePath: `f${offset + k}`, reason: 'x' }));
      return { type: 'pageReply', inReplyTo: 0, revision: 1, offset, total: 1000, items };
    }, 10, 2);
    cache.reset(1);
    assert.equal(cache.itemAt(query, 3), undefined);
    assert.equal(cache.itemAt(query, 4), undefined);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(requested, [0], 'one request for two items of one page');
    assert.equal(cache.itemAt(query, 4)?.relativePath, 'f4');
    assert.equal(cache.totalOf(query), 1000);
    cache.itemAt(query, 15);
    await new Promise((resolve) => setTimeout(resolve, 0));
    cache.itemAt(query, 3); // page 0 is now the most recently used
    cache.itemAt(query, 25);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(cache.itemAt(query, 3)?.relativePath, 'f3', 'page 0 kept');
    assert.equal(cache.itemAt(query, 15), undefined, 'page 1 evicted');
  });
});

describe('webview logic: selection gestures', () => {
  it('click selects only, Ctrl/Cmd-click toggles, Shift-click takes the range', () => {
    assert.equal(gestureOf({ shiftKey: false, ctrlKey: false, metaKey: false }), 'only');
    assert.equal(gestureOf({ shiftKey: false, ctrlKey: false, metaKey: true }), 'toggle');
    assert.equal(gestureOf({ shiftKey: true, ctrlKey: true, metaKey: false }), 'range');
    assert.deepEqual(nextSelection(['a', 'b'], 'only', 'c', []), ['c']);
    assert.deepEqual(nextSelection(['a', 'b'], 'toggle', 'c', []), ['a', 'b', 'c']);
    assert.deepEqual(nextSelection(['a', 'b', 'c'], 'toggle', 'b', []), ['a', 'c']);
    assert.deepEqual(nextSelection(['a'], 'range', 'd', ['b', 'c', 'd']), ['b', 'c', 'd']);
  });
});
