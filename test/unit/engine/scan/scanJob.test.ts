import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { LlrDetector, toImageSet } from '../../../../src/engine/llr';
import type { ExportTargets, ShardSpec } from '../../../../src/engine/results';
import { checkShardSet, exportThreshold, indexResultLogs, writeExportFromIndex } from '../../../../src/engine/results';
import { runScanJob } from '../../../../src/engine/scan';
import { writePatternPngFolder } from '../../support/patternPngFolder';

const TINY = { numResnet: 1, numHierarchies: 1, numFilters: 4, numLogisticMix: 1, dropoutP: 0 } as const;
const DETECTOR = { name: 'tiny', manifestSha256: 'f00d' };

describe('the scan job (result log, resume, shards)', function () {
  this.timeout(120_000);
  let root: string;
  let images: string;
  let detector: LlrDetector;

  before(async () => {
    await selectBackend('wasm');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-scan-job-'));
    images = path.join(root, 'images');
    await writePatternPngFolder(path.join(images, 'a'), 13);
    await writePatternPngFolder(path.join(images, 'b'), 11);
    fs.writeFileSync(path.join(images, 'b', 'broken.png'), 'not a png');
    detector = await LlrDetector.fit(toImageSet(new Uint8Array(8 * 28 * 28).fill(90), [28, 28, 1]), { epochs: 1, batchSize: 4, semanticConfig: TINY });
  });
  after(() => {
    detector.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const scan = (file: string, shard?: ShardSpec, signal?: AbortSignal, onChunk?: () => void): ReturnType<typeof runScanJob> =>
    runScanJob({ folder: images, detector, resultLog: { file, detector: DETECTOR, detectorThreshold: null }, shard, batchSize: 4, signal, onChunk });

  async function exportText(files: string[], keep?: ReadonlySet<string>): Promise<string> {
    const index = await indexResultLogs(files, keep ? (p) => keep.has(p) : undefined);
    checkShardSet(index.logs, index.duplicatePaths);
    let json = '';
    const targets: ExportTargets = { json: (produce) => produce(async (text) => void (json += text)) };
    await writeExportFromIndex(index, index.logs[0].header, exportThreshold(index.scores, { percentile: 90 }, null).threshold, targets);
    return json.replace(/"createdAt": "[^"]*"/, '');
  }

  it('stopped after its first chunk and started again, scores every file once and gives the uninterrupted export', async () => {
    const whole = path.join(root, 'whole.jsonl');
    const first = await scan(whole);
    assert.deepEqual([first.scored, first.failed, first.alreadyDone, first.fileCount], [24, 1, 0, 25]);

    const resumed = path.join(root, 'resumed.jsonl');
    const controller = new AbortController();
    await assert.rejects(scan(resumed, undefined, controller.signal, () => controller.abort()), /cancelled/);
    const partial = fs.readFileSync(resumed, 'utf8').trim().split('\n').length - 1;
    assert.ok(partial > 0 && partial < 25, `${partial} records before the stop`);
    const second = await scan(resumed);
    assert.equal(second.alreadyDone, partial);
    assert.equal(second.scored + second.failed, 25 - partial);
    const records = fs.readFileSync(resumed, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { kind: string; relativePath?: string });
    const paths = records.filter((record) => record.kind === 'scored' || record.kind === 'failed').map((record) => record.relativePath);
    assert.equal(new Set(paths).size, paths.length, 'no file twice in the log');
    assert.equal(paths.length, 25);
    assert.equal(await exportText([resumed], second.present), await exportText([whole], first.present));

    const again = await scan(resumed);
    assert.deepEqual([again.scored, again.failed, again.alreadyDone], [0, 0, 25], 'a finished scan started again scores nothing');
    assert.equal(fs.readFileSync(resumed, 'utf8').trim().split('\n').length, records.length, 'nor writes another end');
  });

  it('scores disjoint shards whose merge is the single-machine export, and drops files deleted since they were logged', async () => {
    const whole = path.join(root, 'whole-2.jsonl');
    const single = await scan(whole);
    const shards = [0, 1, 2].map((index) => path.join(root, `shard-${index}.jsonl`));
    const results = [];
    for (const [index, file] of shards.entries()) results.push(await scan(file, { index, count: 3 }));
    assert.equal(results.reduce((sum, result) => sum + result.fileCount, 0), 25);
    assert.ok(results.every((result) => result.fileCount > 0));
    assert.equal(await exportText(shards), await exportText([whole], single.present));

    fs.rmSync(path.join(images, 'a', '0.png'));
    const rescan = await scan(whole);
    assert.equal(rescan.scored, 0);
    assert.ok(!(await exportText([whole], rescan.present)).includes('"a/0.png"'));
  });
});
