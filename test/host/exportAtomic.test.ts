// Exports are written atomically: a writer killed mid-write leaves the previous file whole.
import * as assert from 'assert';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { validateOutlierExport } from '../../src/engine/export/outlierExport';
import { tempFolder, waitFor } from './support/hostFixture';

describe('export atomicity', () => {
  it('keeps the old export intact when the writer is killed in the middle of writing the new one', async () => {
    const folder = tempFolder('export');
    const target = path.join(folder, 'outliers.json');
    const previous = { tool: 'outlier-lens', formatVersion: 1, createdAt: new Date().toISOString(), detector: { name: 'd', manifestSha256: 'a'.repeat(64) }, folder, threshold: { value: 1, method: 'absolute' }, counts: { images: 1, outliers: 1, inliers: 0, errors: 0 }, items: [{ path: 'a.png', score: 2, isOutlier: true, rank: 1, semanticLogProb: -1, backgroundLogProb: 1 }], errors: [] };
    fs.writeFileSync(target, JSON.stringify(previous));
    const child = fork(path.join(__dirname, 'fixtures', 'writeLargeExport.ts'), [target, '512'], { execArgv: ['--require', require.resolve('tsx/cjs')] });
    const temporaries = (): string[] => fs.readdirSync(folder).filter((name) => name.startsWith('.outliers.json.tmp-'));
    let finished = false;
    child.on('message', (message) => {
      if (message === 'written') finished = true;
    });
    await waitFor(() => temporaries().some((name) => fs.statSync(path.join(folder, name)).size > 0), 20_000, 'the write to start');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    assert.strictEqual(finished, false, 'the kill came before the rename');
    const kept = JSON.parse(fs.readFileSync(target, 'utf8')) as unknown;
    assert.deepStrictEqual(kept, previous);
    assert.deepStrictEqual(validateOutlierExport(kept), []);
  });
});
