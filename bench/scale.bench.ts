// npm run bench:scale — issue #32's figures: a folder of real image files (Fashion-MNIST +
// MNIST as PNGs) scanned by the CLI with a `fast`-preset detector, watched from outside: resident
// memory against files scored (peak, and growth after the first 10,000), throughput, and the time
// to reopen the cached results (the same scan again, all from its result log); then, on a second
// folder, the scan killed with SIGKILL at random moments and restarted (export equal to an
// uninterrupted scan's?) and sharded over n = 1, 2, 4 processes (wall time, merged export equal?);
// and first, in a plain Node process (bench/scaleHost.ts), the extension host's results model over a
// scan of SCALE_HOST_FILES streamed into it (heap, reopening its cache) and the folder rules'
// measures a scan holds, before (objects) and now (typed columns).
// Prints figures (no assertions) and writes bench/results/scale.json (partial results as it goes).
//
// Settings (environment): SCALE_FILES (100000: 60% Fashion-MNIST train, the rest MNIST train),
// SCALE_SHARD_FILES (the kill and shard folder, default SCALE_FILES), SCALE_SHARDS (1,2,4),
// SCALE_KILLS (20), SCALE_TRAIN_SAMPLE (512 images, 1 epoch: the detector's quality is not measured
// here, only its cost, which is the preset's), SCALE_SKIP_MEMORY=1 / SCALE_SKIP_SHARDS=1 /
// SCALE_SKIP_HOST=1 (leave out the 100k phase / the kill and shard phases / the host phase),
// SCALE_HOST_FILES (default SCALE_FILES), SCALE_CACHE (.cache/bench-scale), BENCH_RESULTS_DIR.
import { spawnSync } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDataset, writeDatasetAsPngFolder } from '../src/engine/data';
import type { RssSample, WatchedRun } from './scaleProcess';
import { exportWithoutTimestamp, runWatched } from './scaleProcess';

const FILES = Number(process.env.SCALE_FILES ?? 100_000);
const SHARD_FILES = Number(process.env.SCALE_SHARD_FILES ?? FILES);
const SHARDS = (process.env.SCALE_SHARDS ?? '1,2,4').split(',').map(Number);
const KILLS = Number(process.env.SCALE_KILLS ?? 20);
const TRAIN_SAMPLE = Number(process.env.SCALE_TRAIN_SAMPLE ?? 512);
const CACHE = path.resolve(process.env.SCALE_CACHE ?? path.join('.cache', 'bench-scale'));
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results');
const FLAT_AFTER = 10_000;
const HOST_FILES = Number(process.env.SCALE_HOST_FILES ?? FILES);

const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), shared: 'yes: 2 cores shared with four other sessions; figures are noisy' },
  backend: 'wasm (XNNPACK) + ONNX Runtime CPU scoring, as the CLI chooses',
  date: new Date().toISOString(),
  settings: { files: FILES, shardFiles: SHARD_FILES, shards: SHARDS, kills: KILLS, trainSample: TRAIN_SAMPLE },
};
const save = (): void => {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'scale.json'), `${JSON.stringify(results, null, 2)}\n`);
};
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** A folder of `files` PNGs, 60% Fashion-MNIST train (at most 60,000) and the rest MNIST train; kept between runs. */
async function imageFolder(files: number): Promise<string> {
  const folder = path.join(CACHE, `images-${files}`);
  const marker = path.join(CACHE, `images-${files}.complete`);
  if (fs.existsSync(marker)) return folder;
  const started = performance.now();
  const fashion = Math.min(60_000, Math.round(files * 0.6));
  fs.rmSync(folder, { recursive: true, force: true });
  await writeDatasetAsPngFolder(await loadDataset('fashion-mnist', 'train', { limit: fashion }), path.join(folder, 'fashion'));
  await writeDatasetAsPngFolder(await loadDataset('mnist', 'train', { limit: files - fashion }), path.join(folder, 'mnist'));
  fs.writeFileSync(marker, '');
  say(`wrote ${files} PNGs into ${folder} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return folder;
}

/** A `fast` detector trained for one epoch on a seeded sample of the Fashion-MNIST part; kept between runs. */
async function detector(folder: string): Promise<string> {
  const output = path.join(CACHE, `detector-fast-${TRAIN_SAMPLE}`);
  if (fs.existsSync(path.join(output, 'manifest.json'))) return output;
  const run = await runWatched(['train', path.join(folder, 'fashion'), '-o', output, '--preset', 'fast', '--epochs', '1', '--sample', String(TRAIN_SAMPLE), '--backend', 'wasm']);
  if (run.code !== 0) throw new Error(`training failed: ${run.stderr}`);
  say(`trained ${output} in ${run.seconds.toFixed(0)} s`);
  return output;
}

/** A scan of `folder` by the CLI into `name`.jsonl / .json under the cache, watched. */
function scan(folder: string, detectorFolder: string, name: string, extra: string[] = [], options: Parameters<typeof runWatched>[1] = {}): Promise<WatchedRun> {
  const log = path.join(CACHE, `${name}.jsonl`);
  const exportArgs = extra.includes('--shard') ? [] : ['--json', path.join(CACHE, `${name}.json`)];
  return runWatched(['scan', folder, '-d', detectorFolder, '--backend', 'wasm', '--out', log, ...exportArgs, ...extra], { log, ...options });
}

const fresh = (...names: string[]): void => names.forEach((name) => fs.rmSync(path.join(CACHE, name), { force: true }));
const check = (run: WatchedRun, what: string): void => {
  if (run.code !== 0) throw new Error(`${what} failed (${run.code ?? run.signal}): ${run.stderr.slice(-2000)}`);
};

/** Memory figures of a watched scan: peak, at the first 10,000 files, and the most it grew after. */
function memoryFigures(samples: readonly RssSample[], peak: number): Record<string, unknown> {
  const after = samples.filter((sample) => sample.files >= FLAT_AFTER);
  const atFlat = after[0]?.rssMiB ?? null;
  const maxAfter = after.reduce((most, sample) => Math.max(most, sample.rssMiB), 0);
  const curve: RssSample[] = [];
  for (const sample of samples) if (curve.length === 0 || sample.files >= curve[curve.length - 1].files + 2500) curve.push(sample);
  return { peakRssMiB: peak, rssAt10kMiB: atFlat, maxRssAfter10kMiB: after.length ? maxAfter : null, growthAfter10kMiB: atFlat === null ? null : maxAfter - atFlat, curve };
}

async function killAndShardPhase(folder: string, detectorFolder: string): Promise<void> {
  fresh('reference.jsonl', 'reference.json');
  const reference = await scan(folder, detectorFolder, 'reference');
  check(reference, 'reference scan');
  say(`reference scan of ${SHARD_FILES} files: ${reference.seconds.toFixed(1)} s wall, peak ${reference.peakRssMiB} MiB`);
  results.reference = { files: SHARD_FILES, wallSeconds: reference.seconds, peakRssMiB: reference.peakRssMiB };
  save();

  fresh('killed.jsonl', 'killed.json');
  const kills: Array<{ afterRecords: number; extraMs: number; killed: boolean }> = [];
  const started = performance.now();
  // Each kill falls once the run has logged a random number of new results (up to twice the
  // folder's share per kill) and up to a second more: in the middle of scoring, not at start-up.
  const share = Math.max(1, Math.floor(SHARD_FILES / (KILLS + 1)));
  for (let kill = 0; kill < KILLS; kill++) {
    const afterRecords = 1 + Math.floor(Math.random() * 2 * share);
    const extraMs = Math.round(Math.random() * 1000);
    const run = await scan(folder, detectorFolder, 'killed', [], { killAfterRecords: afterRecords, killExtraMs: extraMs });
    kills.push({ afterRecords, extraMs, killed: run.signal === 'SIGKILL' });
  }
  const last = await scan(folder, detectorFolder, 'killed');
  check(last, 'the scan after the kills');
  const killsEqual = exportWithoutTimestamp(path.join(CACHE, 'killed.json')) === exportWithoutTimestamp(path.join(CACHE, 'reference.json'));
  const lines = fs.readFileSync(path.join(CACHE, 'killed.jsonl'), 'utf8').trim().split('\n').slice(1).filter((line) => !line.includes('"kind":"end"'));
  const paths = lines.map((line) => (JSON.parse(line) as { relativePath: string }).relativePath);
  results.kills = { kills: KILLS, killedMidScan: kills.filter((kill) => kill.killed).length, wallSeconds: (performance.now() - started) / 1000, exportEqual: killsEqual, records: paths.length, distinctPaths: new Set(paths).size, each: kills };
  say(`${KILLS} SIGKILLs (${kills.filter((kill) => kill.killed).length} in the middle of scoring) and restarts: export equal to the uninterrupted scan's: ${killsEqual}; ${paths.length} records, ${new Set(paths).size} distinct paths`);
  save();

  const sharded: Record<string, unknown>[] = [];
  for (const count of SHARDS) {
    const names = Array.from({ length: count }, (_, index) => `shard-${count}-${index}`);
    fresh(...names.map((name) => `${name}.jsonl`), `merged-${count}.json`);
    const shardStart = performance.now();
    const runs = await Promise.all(names.map((name, index) => scan(folder, detectorFolder, name, ['--shard', `${index}/${count}`])));
    runs.forEach((run, index) => check(run, `shard ${index}/${count}`));
    const wall = (performance.now() - shardStart) / 1000;
    const merge = await runWatched(['merge', ...names.map((name) => path.join(CACHE, `${name}.jsonl`)), '--json', path.join(CACHE, `merged-${count}.json`)]);
    check(merge, `merge of ${count}`);
    const equal = exportWithoutTimestamp(path.join(CACHE, `merged-${count}.json`)) === exportWithoutTimestamp(path.join(CACHE, 'reference.json'));
    sharded.push({ shards: count, wallSeconds: wall, mergeSeconds: merge.seconds, mergedEqualsSingle: equal, peakRssMiBPerShard: runs.map((run) => run.peakRssMiB) });
    say(`${count} shard(s) as processes: ${wall.toFixed(1)} s wall, merge ${merge.seconds.toFixed(1)} s, merged export equal to the single scan's: ${equal}`);
    results.sharded = sharded;
    save();
  }
}

async function memoryPhase(folder: string, detectorFolder: string): Promise<void> {
  fresh('big.jsonl', 'big.json');
  let lastSave = 0;
  const run = await scan(folder, detectorFolder, 'big', [], {
    onSample: (sample) => {
      if (sample.seconds - lastSave < 30) return;
      lastSave = sample.seconds;
      results.scan = { files: FILES, partial: true, last: sample };
      save();
      say(`  ${sample.files} files, ${sample.rssMiB} MiB, ${sample.seconds.toFixed(0)} s`);
    },
  });
  check(run, 'the big scan');
  const scanSeconds = Number(/in ([\d.]+) s/.exec(run.stdout)?.[1] ?? run.seconds);
  results.scan = { files: FILES, wallSeconds: run.seconds, scanSeconds, imagesPerSecond: FILES / scanSeconds, ...memoryFigures(run.samples, run.peakRssMiB) };
  save();
  const figures = results.scan as Record<string, number>;
  say(`scan of ${FILES} files: ${run.seconds.toFixed(0)} s wall (${(FILES / scanSeconds).toFixed(1)} img/s), peak RSS ${run.peakRssMiB} MiB, at 10k ${figures.rssAt10kMiB} MiB, growth after ${figures.growthAfter10kMiB} MiB`);

  const scanned = exportWithoutTimestamp(path.join(CACHE, 'big.json'));
  const reopen = await scan(folder, detectorFolder, 'big');
  check(reopen, 'reopening the cached results');
  results.reopen = { wallSeconds: reopen.seconds, peakRssMiB: reopen.peakRssMiB, exportEqual: exportWithoutTimestamp(path.join(CACHE, 'big.json')) === scanned };
  say(`reopening the cached results (walk, nothing rescored, export rewritten): ${reopen.seconds.toFixed(1)} s, peak ${reopen.peakRssMiB} MiB`);
  save();
}

/** The host's results model and the folder rules' measures, in a process of their own whose heap can be collected and read. */
function hostPhase(): void {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'scaleHost.ts')], {
    env: { ...process.env, SCALE_HOST_FILES: String(HOST_FILES), SCALE_FLAT_AFTER: String(FLAT_AFTER) },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`the host phase failed: ${run.stderr.slice(-2000)}`);
  const figures = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { folderMeasures: Record<string, Record<string, number>>; host: Record<string, unknown> };
  results.folderMeasures = { images: HOST_FILES, ...figures.folderMeasures };
  results.host = figures.host;
  save();
  const host = figures.host as { streamed: Record<string, number>; reopen: Record<string, number>; before: { objectsHeld: Record<string, number>; format1CacheReadSeconds: number } };
  say(`folder rules' measures held per 1,000 images: ${figures.folderMeasures.objects.miBPer1000} MiB as objects (before), ${figures.folderMeasures.table.miBPer1000} MiB in the table (now)`);
  say(`host results model over ${HOST_FILES} streamed images: heap ${host.streamed.startMiB} → peak ${host.streamed.peakMiB} MiB, growth after ${FLAT_AFTER} ${host.streamed.growthAfterFlatMiB} MiB (${host.streamed.miBPer1000} MiB per 1,000); the images held as objects (before): ${host.before.objectsHeld.miBPer1000} MiB per 1,000`);
  say(`reopening the host's cached results: ${host.reopen.seconds} s (format-1 cache read: ${host.before.format1CacheReadSeconds} s)`);
  const steps = figures.host.steps as SideBySide;
  say(`reading the cache's index: ${steps.reopenIndex.beforeSeconds} s parsing whole records (before), ${steps.reopenIndex.nowSeconds} s reading the index's fields (now)`);
  say(`panel export (${steps.export.megabytes} MB JSON): heap +${steps.export.before.peakMiB} MiB in ${steps.export.before.seconds} s at once (before), +${steps.export.now.peakMiB} MiB in ${steps.export.now.seconds} s streamed (now)`);
  say(`cache rewrite after a delete: longest event-loop block ${steps.cacheRewrite.before.longestBlockMs} ms (before), ${steps.cacheRewrite.now.longestBlockMs} ms (now)`);
  say(`the snapshot's reason counts: ${steps.reasonCounts.beforeMs} ms reading every record (before), ${steps.reasonCounts.nowMs} ms from the index (now)`);
  for (const [name, query] of Object.entries(steps.gallery)) say(`gallery query ${name} (${query.matches} images): ${query.beforeMs} ms with an entry object per image (before), ${query.nowMs} ms typed (now)`);
}

/** The host steps before and now, as bench/scaleHostSideBySide.ts reports them. */
interface SideBySide {
  readonly reopenIndex: { beforeSeconds: number; nowSeconds: number };
  readonly export: { before: { peakMiB: number; seconds: number }; now: { peakMiB: number; seconds: number }; megabytes: number };
  readonly cacheRewrite: { before: { longestBlockMs: number }; now: { longestBlockMs: number } };
  readonly gallery: Record<string, { matches: number; beforeMs: number; nowMs: number }>;
  readonly reasonCounts: { beforeMs: number; nowMs: number };
}

async function main(): Promise<void> {
  fs.mkdirSync(CACHE, { recursive: true });
  if (process.env.SCALE_SKIP_HOST !== '1') hostPhase();
  const scans = process.env.SCALE_SKIP_SHARDS !== '1' || process.env.SCALE_SKIP_MEMORY !== '1';
  const shardFolder = scans ? await imageFolder(SHARD_FILES) : '';
  const detectorFolder = scans ? await detector(shardFolder) : '';
  if (process.env.SCALE_SKIP_SHARDS !== '1') await killAndShardPhase(shardFolder, detectorFolder);
  if (process.env.SCALE_SKIP_MEMORY !== '1') await memoryPhase(await imageFolder(FILES), detectorFolder);
  say(`results in ${path.join(RESULTS_DIR, 'scale.json')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
