import * as assert from 'assert';
import { parseLabelsFile } from '../../src/extension/groundTruth/labelsFile';
import { withLabels } from '../../src/extension/groundTruth/labelsFileEdit';

describe('labelling images from the panel in the labels file', () => {
  it('starts a missing file with a header, one line an image', () => {
    assert.strictEqual(withLabels('', ['a/1.png', 'b.png'], 'outlier'), 'path,label\na/1.png,outlier\nb.png,outlier\n');
  });

  it('keeps comments, folders and other images; replaces the lines that named the paths, wherever they were', () => {
    const before = '# hand-written\nfashion,inlier\nmnist/3.png,0\n"mnist/4.png",inlier # checked\nmnist/5.png,1\n';
    const after = withLabels(before, ['mnist/3.png', 'mnist/4.png'], 'outlier');
    assert.strictEqual(after, '# hand-written\nfashion,inlier\nmnist/5.png,1\nmnist/3.png,outlier\nmnist/4.png,outlier\n');
    const parsed = parseLabelsFile(after);
    assert.deepStrictEqual(parsed.warnings, [], 'no contradicting lines left');
    assert.deepStrictEqual(parsed.entries.map((entry) => [entry.relativePath, entry.label]), [['fashion', 'inlier'], ['mnist/5.png', 'outlier'], ['mnist/3.png', 'outlier'], ['mnist/4.png', 'outlier']]);
  });

  it('keeps Windows line ends, and quotes paths the format would misread', () => {
    const after = withLabels('path,label\r\nx.png,inlier\r\n', ['a,b.png', 'say "hi".png', 'c #1.png', '#d.png'], 'inlier');
    assert.strictEqual(after, 'path,label\r\nx.png,inlier\r\n"a,b.png",inlier\r\n"say ""hi"".png",inlier\r\n"c #1.png",inlier\r\n"#d.png",inlier\r\n');
    assert.deepStrictEqual(parseLabelsFile(after).entries.map((entry) => entry.relativePath), ['x.png', 'a,b.png', 'say "hi".png', 'c #1.png', '#d.png']);
  });

  it('leaves a malformed line alone (the user wrote it) and adds after it', () => {
    assert.strictEqual(withLabels('path,label\nbroken line\n', ['a.png'], 'outlier'), 'path,label\nbroken line\na.png,outlier\n');
  });
});
