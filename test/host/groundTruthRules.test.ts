// Ground truth without VS Code: the labels file format, which rule labels a path, and the AUROC the side view shows.
import * as assert from 'assert';
import * as path from 'path';
import { GroundTruthRules } from '../../src/extension/groundTruth/groundTruthRules';
import { summariseGroundTruth } from '../../src/extension/groundTruth/groundTruthSummary';
import { parseLabelsFile } from '../../src/extension/groundTruth/labelsFile';
import { LABEL_CODE } from '../../src/protocol/webview';

describe('labels file (outlier-lens.labels.csv)', () => {
  it('reads path,label lines: a header, comments, folders and files, words or 0/1, either slash, quotes', () => {
    const parsed = parseLabelsFile([
      '\uFEFF# ground truth for the fashion vs mnist test',
      'path,label',
      '',
      'fashion,inlier',
      'mnist/ , OUTLIER   # trailing comment',
      './odd\\00042.png,1',
      '"with, comma.png",0',
      '"say ""hi"".png",outlier',
      'odd/#3.png,inlier',
    ].join('\r\n'));
    assert.deepStrictEqual(parsed.warnings, []);
    assert.deepStrictEqual(parsed.entries.map((entry) => [entry.relativePath, entry.label, entry.line]), [
      ['fashion', 'inlier', 4],
      ['mnist', 'outlier', 5],
      ['odd/00042.png', 'outlier', 6],
      ['with, comma.png', 'inlier', 7],
      ['say "hi".png', 'outlier', 8],
      ['odd/#3.png', 'inlier', 9],
    ]);
  });

  it('skips each bad line with a reason naming what is wrong, and keeps the rest', () => {
    const parsed = parseLabelsFile([
      'fashion,inlier',
      'mnist,maybe',
      'just-a-path.png',
      'a.png,inlier,extra',
      '/etc/passwd,outlier',
      '../elsewhere,outlier',
      'C:\\data\\x.png,inlier',
      '"unclosed.png,inlier',
      ',inlier',
      'mnist,outlier',
      'fashion,outlier',
    ].join('\n'));
    assert.deepStrictEqual(parsed.warnings.map((warning) => warning.line), [2, 3, 4, 5, 6, 7, 8, 9, 11]);
    const reasons = parsed.warnings.map((warning) => warning.reason);
    assert.match(reasons[0], /label "maybe" is not inlier, outlier, 0 or 1/);
    assert.match(reasons[1], /expected 2 fields "path,label", found 1/);
    assert.match(reasons[2], /found 3/);
    assert.match(reasons[3], /absolute/);
    assert.match(reasons[4], /leaves the scanned folder/);
    assert.match(reasons[5], /absolute/);
    assert.match(reasons[6], /quote is not closed/);
    assert.match(reasons[7], /path is empty/);
    assert.match(reasons[8], /labelled inlier on line 1 and outlier here; line 11 wins/);
    assert.deepStrictEqual(parsed.entries.map((entry) => [entry.relativePath, entry.label]), [['mnist', 'outlier'], ['fashion', 'outlier']]);
  });

  it('treats a "path,label" line after the first as data, and "." as the whole folder', () => {
    const parsed = parseLabelsFile('.,inlier\npath,label\n');
    assert.deepStrictEqual(parsed.entries.map((entry) => entry.relativePath), ['']);
    assert.deepStrictEqual(parsed.warnings.map((warning) => warning.line), [2]);
  });
});

describe('ground truth rules', () => {
  const scanned = path.resolve('/data/mixed');
  const under = (...segments: string[]): string => path.join(scanned, ...segments);

  it('gives each file the label of its nearest marked folder, by whole path segments', () => {
    const rules = GroundTruthRules.forFolder(scanned, [
      { folder: under('fashion'), label: 'inlier' },
      { folder: under('fashion', 'odd'), label: 'outlier' },
    ], []);
    assert.strictEqual(rules.labelOf('fashion/00001.png'), 'inlier');
    assert.strictEqual(rules.labelOf('fashion/odd/00002.png'), 'outlier');
    assert.strictEqual(rules.labelOf('fashion2/00003.png'), undefined, 'fashion2 is not under fashion');
    assert.strictEqual(rules.labelOf('mnist/00004.png'), undefined);
  });

  it('lets a mark on the scanned folder or above it cover everything, the nearest such mark counting', () => {
    const rules = GroundTruthRules.forFolder(scanned, [
      { folder: path.resolve('/data'), label: 'outlier' },
      { folder: scanned, label: 'inlier' },
      { folder: path.resolve('/elsewhere'), label: 'outlier' },
      { folder: under('mnist'), label: 'outlier' },
    ], []);
    assert.strictEqual(rules.labelOf('fashion/00001.png'), 'inlier');
    assert.strictEqual(rules.labelOf('mnist/00001.png'), 'outlier');
    assert.strictEqual(GroundTruthRules.forFolder(scanned, [{ folder: path.resolve('/elsewhere'), label: 'inlier' }], []).isEmpty, true);
  });

  it('combines labels-file lines with marks: the more specific path wins, a mark wins on the same path', () => {
    const entries = parseLabelsFile('fashion,outlier\nfashion/00007.png,inlier\nmnist,outlier\n').entries;
    const rules = GroundTruthRules.forFolder(scanned, [{ folder: under('fashion'), label: 'inlier' }], entries);
    assert.deepStrictEqual(rules.ruleFor('fashion/00001.png'), { label: 'inlier', source: 'mark', prefix: 'fashion' });
    assert.deepStrictEqual(rules.ruleFor('fashion/00007.png'), { label: 'inlier', source: 'labelsFile', prefix: 'fashion/00007.png' });
    assert.deepStrictEqual(rules.ruleFor('mnist/sub/00002.png'), { label: 'outlier', source: 'labelsFile', prefix: 'mnist' });
  });
});

describe('ground truth summary (side view AUROC)', () => {
  it('counts each class and computes the AUROC of pairwise wins, ties counting half', () => {
    let seed = 11;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const items = Array.from({ length: 300 }, () => {
      const label = random() < 0.1 ? LABEL_CODE.unknown : random() < 0.4 ? LABEL_CODE.outlier : LABEL_CODE.inlier;
      // Rounded scores make many ties; outliers score higher on average.
      return { score: Math.round(random() * 20 + (label === LABEL_CODE.outlier ? 6 : 0)), label };
    }).sort((a, b) => b.score - a.score);
    const scores = Float32Array.from(items, (item) => item.score);
    const labels = Uint8Array.from(items, (item) => item.label);
    const outliers = items.filter((item) => item.label === LABEL_CODE.outlier);
    const inliers = items.filter((item) => item.label === LABEL_CODE.inlier);
    let wins = 0;
    for (const outlier of outliers) for (const inlier of inliers) wins += outlier.score > inlier.score ? 1 : outlier.score === inlier.score ? 0.5 : 0;
    const summary = summariseGroundTruth(scores, labels);
    assert.strictEqual(summary.inliers, inliers.length);
    assert.strictEqual(summary.outliers, outliers.length);
    assert.ok(summary.auroc !== null && Math.abs(summary.auroc - wins / (inliers.length * outliers.length)) < 1e-12, `${summary.auroc}`);
  });

  it('has no AUROC without both classes', () => {
    assert.deepStrictEqual(summariseGroundTruth(new Float32Array([3, 2]), new Uint8Array([LABEL_CODE.inlier, LABEL_CODE.unknown])), { inliers: 1, outliers: 0, auroc: null });
  });
});
