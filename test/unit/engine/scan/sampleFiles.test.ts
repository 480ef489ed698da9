import * as assert from 'node:assert/strict';
import { sampleFiles } from '../../../../src/engine/scan';

const files = (count: number): Array<{ relativePath: string }> => Array.from({ length: count }, (_, i) => ({ relativePath: `${['cat', 'dog', 'eel'][i % 3]}/${i}.png` }));

describe('a seeded sample of a folder\'s files', () => {
  it('draws N files, the same for a seed whatever the walk order, others for another seed, in the order given', () => {
    const all = files(3000);
    const sample = sampleFiles(all, 300, 7);
    assert.equal(sample.length, 300);
    assert.equal(new Set(sample).size, 300);
    const positions = sample.map((entry) => all.indexOf(entry));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'in walk order');
    const reversed = sampleFiles([...all].reverse(), 300, 7);
    assert.deepEqual(new Set(reversed.map((entry) => entry.relativePath)), new Set(sample.map((entry) => entry.relativePath)));
    const other = sampleFiles(all, 300, 8);
    const shared = other.filter((entry) => sample.includes(entry)).length;
    assert.ok(shared < 60, `${shared} of 300 shared between seeds (about 30 expected by chance)`);
  });

  it('takes no side: each class and each part of the listing gets about its share', () => {
    const sample = sampleFiles(files(30_000), 3000, 1);
    for (const label of ['cat', 'dog', 'eel']) {
      const share = sample.filter((entry) => entry.relativePath.startsWith(label)).length;
      assert.ok(share > 900 && share < 1100, `${label}: ${share}`);
    }
    const early = sample.filter((entry) => Number(entry.relativePath.split('/')[1].split('.')[0]) < 15_000).length;
    assert.ok(early > 1400 && early < 1600, `first half of the listing: ${early}`);
  });

  it('keeps every file when N is at least the folder, and a file added later moves at most one out', () => {
    assert.equal(sampleFiles(files(10), 50, 3).length, 10);
    const before = sampleFiles(files(1000), 100, 3).map((entry) => entry.relativePath);
    const after = sampleFiles([...files(1000), { relativePath: 'new/1.png' }], 100, 3).map((entry) => entry.relativePath);
    assert.ok(after.filter((p) => !before.includes(p)).length <= 1);
    assert.throws(() => sampleFiles(files(3), 0, 1), /positive whole number/);
  });
});
