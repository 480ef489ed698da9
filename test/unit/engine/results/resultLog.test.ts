import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildOutlierExport, toCsv } from '../../../../src/engine/export';
import type { ExportTargets, ResultLogHeader } from '../../../../src/engine/results';
import { checkShardSet, indexResultLogs, parseShardSpec, resultLogHeader, ResultLogWriter, shardOf, writeExportFromIndex } from '../../../../src/engine/results';
import type { FailedImage, ScoredImage, ThresholdSetting } from '../../../../src/protocol/scanResults';

const IDENTITY = { folder: '/data/images', detector: { name: 'd', manifestSha256: 'abc123' }, detectorThreshold: null, include: [], exclude: [] };

/** Export targets that keep the text in memory. */
function capture(): { targets: ExportTargets; text: { json: string; csv: string } } {
  const text = { json: '', csv: '' };
  const into = (key: 'json' | 'csv'): ExportTargets['json'] => (produce) => produce(async (piece) => void (text[key] += piece));
  return { targets: { json: into('json'), csv: into('csv') }, text };
}

const withoutTimestamp = (json: string): string => json.replace(/"createdAt": "[^"]*"/, '"createdAt": "…"');

function image(relativePath: string, instanceScore: number): ScoredImage {
  return { relativePath, instanceScore, semanticLogProb: -instanceScore * 3.25, backgroundLogProb: -instanceScore * 2.125 - 0.1, size: 100, mtimeMs: 1_700_000_000_000.5 };
}

describe('result logs (JSON Lines) and exports written from them', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-results-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('writes, from a log, byte for byte the JSON and CSV that the in-memory export gives (latest record of a path wins, ties by path)', async () => {
    const file = path.join(folder, 'log.jsonl');
    const { writer } = await ResultLogWriter.open(file, resultLogHeader(IDENTITY, { index: 0, count: 1 }));
    const items = [image('b "quoted", name.png', 1.5), image('a.png', 1.5), image('z/ü.png', -2.75), image('c.png', 1e-7), image('gone.png', 3)];
    await writer.append(items.slice(0, 3), [{ relativePath: 'broken.png', reason: 'truncated PNG' }]);
    await writer.append([image('c.png', 9), items[3], items[4]], [{ relativePath: 'was-good.png', reason: 'not an image' }]);
    await writer.append([image('was-good.png', 5)], [{ relativePath: 'was-good.png', reason: 'truncated JPEG' }]);
    await writer.finish(7, false);
    await writer.close();

    const index = await indexResultLogs([file], (relativePath) => relativePath !== 'gone.png');
    const threshold: ThresholdSetting = { method: 'percentile', percentile: 50, value: 1.5 };
    const { targets, text } = capture();
    const summary = await writeExportFromIndex(index, IDENTITY, threshold, targets, 2);
    const failures: FailedImage[] = [{ relativePath: 'broken.png', reason: 'truncated PNG' }, { relativePath: 'was-good.png', reason: 'truncated JPEG' }];
    const expected = buildOutlierExport({ detector: IDENTITY.detector, folder: IDENTITY.folder, threshold, items: items.slice(0, 4), failures });
    assert.equal(withoutTimestamp(text.json), withoutTimestamp(`${JSON.stringify(expected, null, 2)}\n`));
    assert.equal(text.csv, toCsv(expected));
    assert.deepEqual(summary.top.map((item) => item.path), ['a.png', 'b "quoted", name.png']);
    assert.deepEqual(summary.counts, { images: 4, outliers: 0, inliers: 4, errors: 2 });
  });

  it('writes an empty export the way JSON.stringify does', async () => {
    const file = path.join(folder, 'empty.jsonl');
    const { writer } = await ResultLogWriter.open(file, resultLogHeader(IDENTITY, { index: 0, count: 1 }));
    await writer.finish(0, false);
    await writer.close();
    const { targets, text } = capture();
    const threshold: ThresholdSetting = { method: 'absolute', value: 1 };
    await writeExportFromIndex(await indexResultLogs([file]), IDENTITY, threshold, targets);
    const expected = buildOutlierExport({ detector: IDENTITY.detector, folder: IDENTITY.folder, threshold, items: [], failures: [] });
    assert.equal(withoutTimestamp(text.json), withoutTimestamp(`${JSON.stringify(expected, null, 2)}\n`));
  });

  it('goes on from a log whose last line a kill cut: the cut line is dropped, the rest is what the next run skips', async () => {
    const file = path.join(folder, 'log.jsonl');
    const header: ResultLogHeader = resultLogHeader(IDENTITY, { index: 1, count: 3 });
    const first = await ResultLogWriter.open(file, header);
    await first.writer.append([image('a.png', 1), image('b.png', 2)], [{ relativePath: 'bad.png', reason: 'truncated PNG' }]);
    await first.writer.close();
    fs.appendFileSync(file, '{"kind":"scored","relativePath":"c.png","instanceSc');
    const second = await ResultLogWriter.open(file, header);
    assert.deepEqual([...second.logged.scored.keys()], ['a.png', 'b.png']);
    assert.deepEqual(second.logged.scored.get('a.png'), { relativePath: 'a.png', size: 100, mtimeMs: 1_700_000_000_000.5 });
    assert.deepEqual([...second.logged.failed], ['bad.png']);
    assert.equal(second.logged.finished, false);
    await second.writer.append([image('c.png', 3)], []);
    await second.writer.finish(4, false);
    await second.writer.close();
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'the log ends with a whole line');
    assert.ok(lines.every((line) => JSON.parse(line)), 'every line parses');
    const index = await indexResultLogs([file]);
    assert.deepEqual(index.paths, ['a.png', 'b.png', 'c.png']);
    assert.equal(index.logs[0].finished, true);

    const killedInHeader = path.join(folder, 'cut-header.jsonl');
    fs.writeFileSync(killedInHeader, '{"kind":"header","form');
    const fresh = await ResultLogWriter.open(killedInHeader, header);
    await fresh.writer.close();
    assert.equal(fs.readFileSync(killedInHeader, 'utf8'), `${JSON.stringify(header)}\n`);
  });

  it('refuses to go on from the log of another scan, naming it', async () => {
    const file = path.join(folder, 'log.jsonl');
    await (await ResultLogWriter.open(file, resultLogHeader(IDENTITY, { index: 0, count: 1 }))).writer.close();
    const other = resultLogHeader({ ...IDENTITY, detector: { name: 'other', manifestSha256: 'fff' } }, { index: 0, count: 1 });
    await assert.rejects(ResultLogWriter.open(file, other), /holds results of another scan \(\/data\/images with d, shard 0\/1\); remove it/);
    await assert.rejects(ResultLogWriter.open(file, resultLogHeader(IDENTITY, { index: 1, count: 2 })), /another scan/);
    fs.writeFileSync(path.join(folder, 'notes.jsonl'), 'hello\nworld\n');
    await assert.rejects(ResultLogWriter.open(path.join(folder, 'notes.jsonl'), other), /not an Outlier Lens result log/);
  });

  it('lets one writer at a time append to a log: a live holder on this machine is refused, a killed one\'s lock (or another node\'s) is taken over', async () => {
    const file = path.join(folder, 'log.jsonl');
    const header = resultLogHeader(IDENTITY, { index: 0, count: 1 });
    const first = await ResultLogWriter.open(file, header);
    await assert.rejects(ResultLogWriter.open(file, header), new RegExp(`is being written by process ${process.pid} on ${os.hostname()}; if that scan is no longer running, remove .*log\\.jsonl\\.lock`));
    await first.writer.close();
    assert.ok(!fs.existsSync(`${file}.lock`), 'closing releases the lock');

    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ host: os.hostname(), pid: dead }));
    await (await ResultLogWriter.open(file, header)).writer.close();
    fs.writeFileSync(`${file}.lock`, '{"host":"ho');
    await (await ResultLogWriter.open(file, header)).writer.close();
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ host: 'another-node', pid: process.pid }));
    await (await ResultLogWriter.open(file, header)).writer.close();
    assert.ok(!fs.existsSync(`${file}.lock`));
  });

  it('puts each path in one shard, the same every time, about 1/n of them in each, and moves none when files are added', () => {
    const paths = Array.from({ length: 4000 }, (_, i) => `class-${i % 7}/${i}.png`);
    const counts = [0, 0, 0, 0];
    for (const relativePath of paths) counts[shardOf(relativePath, 4)]++;
    assert.ok(counts.every((count) => count > 900 && count < 1100), counts.join(' '));
    assert.deepEqual(paths.map((p) => shardOf(p, 4)), paths.map((p) => shardOf(p, 4)));
    assert.equal(shardOf('anything', 1), 0);
    assert.deepEqual(parseShardSpec(' 3/4 '), { index: 3, count: 4 });
    for (const bad of ['4/4', '-1/4', '1/0', 'a/b', '1']) assert.throws(() => parseShardSpec(bad), /0 ≤ i < n/);
  });

  it('names missing, repeated, unfinished and foreign shards of a merge', async () => {
    const shardLog = async (name: string, index: number, count: number, finished: boolean, identity = IDENTITY, paths: string[] = []): Promise<string> => {
      const file = path.join(folder, name);
      const { writer } = await ResultLogWriter.open(file, resultLogHeader(identity, { index, count }));
      await writer.append(paths.map((p) => image(p, 1)), []);
      if (finished) await writer.finish(paths.length, false);
      await writer.close();
      return file;
    };
    const s0 = await shardLog('s0.jsonl', 0, 4, true, IDENTITY, ['x.png']);
    const s0again = await shardLog('s0-again.jsonl', 0, 4, true);
    const s1 = await shardLog('s1.jsonl', 1, 4, false);
    const foreign = await shardLog('foreign.jsonl', 2, 4, true, { ...IDENTITY, folder: '/elsewhere' });
    const check = async (files: string[]): Promise<void> => {
      const index = await indexResultLogs(files);
      checkShardSet(index.logs, index.duplicatePaths);
    };
    await assert.rejects(check([s0, s0again, s1, foreign]), (error: Error) => {
      assert.match(error.message, /foreign\.jsonl is a scan of \/elsewhere/);
      assert.match(error.message, /s1\.jsonl \(shard 1\/4\) is unfinished: run that shard again/);
      assert.match(error.message, /missing shards 2\/4, 3\/4/);
      assert.match(error.message, /shard 0\/4 given 2 times: .*s0\.jsonl, .*s0-again\.jsonl/);
      return true;
    });
    const a = await shardLog('a.jsonl', 0, 2, true, IDENTITY, ['x.png']);
    const b = await shardLog('b.jsonl', 1, 2, true, IDENTITY, ['x.png']);
    await assert.rejects(check([a, b]), /1 image in more than one shard, e.g. x\.png/);
    await check([a, await shardLog('c.jsonl', 1, 2, true, IDENTITY, ['y.png'])]);
  });
});
