import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../../src/engine/backend/selectBackend';
import { writePatternPngFolder } from '../support/patternPngFolder';
import { runCliInProcess } from '../support/runCliInProcess';
import { writeTinyDetector } from '../support/tinyDetector';

const cli = runCliInProcess;
const withoutTimestamp = (json: string): string => json.replace(/"createdAt": "[^"]*"/, '"createdAt": "…"');

describe('CLI scan --shard and merge', function () {
  this.timeout(300_000);
  let root: string;
  let images: string;
  let detector: string;
  const at = (name: string): string => path.join(root, name);
  before(async () => {
    await selectBackend('wasm');
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-shards-'));
    images = at('images');
    await writePatternPngFolder(path.join(images, 'x'), 30);
    fs.writeFileSync(path.join(images, 'x', 'broken.png'), 'not a png');
    detector = at('detector');
    await writeTinyDetector(detector);
  });
  after(async () => {
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  it('merges n shards into the single-machine export (JSON and CSV, --perc and --fpr), and a failed shard reruns alone', async () => {
    for (const threshold of [['--perc', '80'], ['--fpr', '0.1']]) {
      const single = await cli(['scan', images, '-d', detector, '--backend', 'wasm', '--out', at('single.jsonl'), '--json', at('single.json'), '--csv', at('single.csv'), ...threshold]);
      assert.equal(single.code, 0, single.stderr);
      for (let index = 0; index < 3; index++) {
        const shard = await cli(['scan', images, '-d', detector, '--backend', 'wasm', '--shard', `${index}/3`, '--out', at(`shard-${index}.jsonl`)]);
        assert.equal(shard.code, 0, shard.stderr);
        assert.match(shard.stdout, new RegExp(`shard ${index}/3: \\d+ files`));
      }
      const merged = await cli(['merge', at('shard-0.jsonl'), at('shard-1.jsonl'), at('shard-2.jsonl'), '--json', at('merged.json'), '--csv', at('merged.csv'), ...threshold]);
      assert.equal(merged.code, 0, merged.stderr);
      assert.equal(withoutTimestamp(fs.readFileSync(at('merged.json'), 'utf8')), withoutTimestamp(fs.readFileSync(at('single.json'), 'utf8')));
      assert.equal(fs.readFileSync(at('merged.csv'), 'utf8'), fs.readFileSync(at('single.csv'), 'utf8'));
      const exported = JSON.parse(fs.readFileSync(at('merged.json'), 'utf8')) as { counts: { images: number; errors: number }; threshold: { method: string } };
      assert.deepEqual([exported.counts.images, exported.counts.errors], [30, 1]);
      assert.equal(exported.threshold.method, threshold[0] === '--perc' ? 'percentile' : 'fpr');
    }

    const missing = await cli(['merge', at('shard-0.jsonl'), at('shard-2.jsonl'), at('shard-2.jsonl'), '--json', at('bad.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /missing shard 1\/3/);
    assert.match(missing.stderr, /shard 2\/3 given 2 times/);
    assert.ok(!fs.existsSync(at('bad.json')));

    // A shard killed part way: its log lost its end (and its last lines); merge says to rerun it, and the rerun finishes it alone.
    const lines = fs.readFileSync(at('shard-1.jsonl'), 'utf8').trim().split('\n');
    fs.writeFileSync(at('shard-1.jsonl'), `${lines.slice(0, Math.max(2, lines.length - 4)).join('\n')}\n{"kind":"sco`);
    const unfinished = await cli(['merge', at('shard-0.jsonl'), at('shard-1.jsonl'), at('shard-2.jsonl'), '--json', at('bad.json')]);
    assert.equal(unfinished.code, 1);
    assert.match(unfinished.stderr, /shard-1\.jsonl \(shard 1\/3\) is unfinished: run that shard again/);
    const rerun = await cli(['scan', images, '-d', detector, '--backend', 'wasm', '--shard', '1/3', '--out', at('shard-1.jsonl')]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /already in the log/);
    const again = await cli(['merge', at('shard-0.jsonl'), at('shard-1.jsonl'), at('shard-2.jsonl'), '--json', at('merged-again.json'), '--fpr', '0.1']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(withoutTimestamp(fs.readFileSync(at('merged-again.json'), 'utf8')), withoutTimestamp(fs.readFileSync(at('single.json'), 'utf8')));
  });

  it('refuses a shard without --out, or with an export of its own', async () => {
    const result = await cli(['scan', images, '-d', detector, '--shard', '0/2', '--json', at('x.json'), '--out', at('x.jsonl')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /a shard needs --out shard\.jsonl and writes no export/);
    assert.equal((await cli(['scan', images, '-d', detector, '--shard', '2/2', '--out', at('y.jsonl')])).code, 2);
  });
});
