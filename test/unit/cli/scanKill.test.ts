import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../../../src/engine/backend/selectBackend';
import { writePatternPngFolder } from '../support/patternPngFolder';
import { writeTinyDetector } from '../support/tinyDetector';

const CLI = path.join(__dirname, '../../../src/cli/main.ts');
const KILLS = 20;

/** What a run of the CLI did: exit, whether it was killed, its output. */
interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Where to kill a run: once its result log holds `afterRecords` more lines than it did, `extraMs` later. */
interface KillPoint {
  readonly log: string;
  readonly afterRecords: number;
  readonly extraMs: number;
}

/** Lines in `file` (0 when it is missing). */
function linesIn(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const text = fs.readFileSync(file);
  let lines = 0;
  for (let i = text.indexOf(0x0a); i !== -1; i = text.indexOf(0x0a, i + 1)) lines++;
  return lines;
}

/**
 * Runs the CLI from source; with `kill`, sends SIGKILL once the run has appended that many results
 * to its log and a random time more has passed, so the kill falls in the middle of scoring (while a
 * chunk is decoded, scored or written), not while the process starts.
 */
function runCli(args: string[], kill?: KillPoint): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const startLines = kill ? linesIn(kill.log) : 0;
    const poll = kill
      ? setInterval(() => {
          if (linesIn(kill.log) >= startLines + kill.afterRecords) {
            clearInterval(poll);
            setTimeout(() => child.kill('SIGKILL'), kill.extraMs);
          }
        }, 10)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stderr });
    });
  });
}

/** Uniform numbers in [0, 1) from a seed (the seed is in the test's messages, so a failure can be replayed). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const withoutTimestamp = (json: string): string => json.replace(/"createdAt": "[^"]*"/, '"createdAt": "…"');

describe('CLI scan killed at random moments', function () {
  this.timeout(600_000);
  let root: string;
  before(async () => {
    await selectBackend('wasm');
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-scan-kill-'));
    await writePatternPngFolder(path.join(root, 'images', 'a'), 100);
    await writePatternPngFolder(path.join(root, 'images', 'b'), 100);
    fs.writeFileSync(path.join(root, 'images', 'b', 'broken.png'), 'not a png');
    await writeTinyDetector(path.join(root, 'detector'));
  });
  after(async () => {
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  it(`with SIGKILL ${KILLS} times and started again each time, scores each file once and writes the uninterrupted scan's export`, async () => {
    const scanArgs = (name: string): string[] => [
      'scan', path.join(root, 'images'), '-d', path.join(root, 'detector'), '--backend', 'wasm', '--batch-size', '1',
      '--out', path.join(root, `${name}.jsonl`), '--json', path.join(root, `${name}.json`), '--csv', path.join(root, `${name}.csv`),
    ];
    const reference = await runCli(scanArgs('reference'));
    assert.equal(reference.code, 0, reference.stderr);

    const seed = Date.now() % 100_000;
    const random = seededRandom(seed);
    const log = path.join(root, 'killed.jsonl');
    const results = (file: string): number => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((line) => /"kind":"(scored|failed)"/.test(line)).length : 0);
    let killedMidScan = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // After 1–3 new lines (a chunk is 4 images at --batch-size 1) and up to 150 ms more: 201 files last about 20 kills.
      const point = { log, afterRecords: 1 + Math.floor(random() * 3), extraMs: Math.round(random() * 150) };
      const before = results(log);
      const run = await runCli(scanArgs('killed'), point);
      const after = results(log);
      const finished = fs.readFileSync(log, 'utf8').includes('"kind":"end"');
      if (run.signal === 'SIGKILL' && after > before && !finished) killedMidScan++;
      assert.ok(run.signal === 'SIGKILL' || run.code === 0, `seed ${seed}, kill ${kill} at ${JSON.stringify(point)}: ${run.stderr}`);
      assert.ok(after >= before, `seed ${seed}: the log never loses results`);
      if (fs.existsSync(path.join(root, 'killed.json'))) JSON.parse(fs.readFileSync(path.join(root, 'killed.json'), 'utf8'));
    }
    const last = await runCli(scanArgs('killed'));
    assert.equal(last.code, 0, last.stderr);
    process.stdout.write(`      (seed ${seed}: ${killedMidScan} of ${KILLS} kills landed while results were being written)\n`);
    assert.ok(killedMidScan >= KILLS / 2, `seed ${seed}: only ${killedMidScan} of ${KILLS} kills landed while results were being written`);

    const records = fs.readFileSync(log, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line) as { kind: string; relativePath?: string });
    const paths = records.filter((record) => record.kind !== 'end').map((record) => record.relativePath);
    assert.equal(paths.length, 201, `seed ${seed}: every file in the log`);
    assert.equal(new Set(paths).size, 201, `seed ${seed}: no file scored twice`);
    const read = (name: string): string => fs.readFileSync(path.join(root, name), 'utf8');
    assert.equal(withoutTimestamp(read('killed.json')), withoutTimestamp(read('reference.json')), `seed ${seed}`);
    assert.equal(read('killed.csv'), read('reference.csv'), `seed ${seed}`);
  });
});
