// npm run bench:signals — issue #30's cost of the signals beside the ratio: a scan of Fashion-MNIST
// PNGs with every signal (image checks, hashes, calibrated verdict, folder rules) against the same
// scan with none (decode + score only), alternated over rounds on one warm detector per preset, and
// the signals' own time measured alone on the decoded images. Untrained models: scoring costs the
// same whatever the weights. Prints figures (no assertions) and writes bench/results/signals-<backend>.json.
//
// Settings (environment): SIGNALS_PRESETS (fast,seed), SIGNALS_IMAGES (1024), SIGNALS_ROUNDS (3),
// SIGNALS_BACKEND (wasm), BENCH_RESULTS_DIR.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { selectBackend } from '../src/engine/backend/selectBackend';
import type { BackendName } from '../src/engine/backend/types';
import { loadDataset } from '../src/engine/data';
import { LlrDetector, SEED_FIT_CONFIG, toImageSet } from '../src/engine/llr';
import type { PresetName } from '../src/engine/pixelcnn';
import { PixelCnn, PRESETS } from '../src/engine/pixelcnn';
import { scanFolder } from '../src/engine/scan';
import { scoringFor } from '../src/engine/strategies/chooseStrategies';
import { calibrateDetector, calibratedSignalsOf, judgeFolder, judgeImage, measureDecodedImage } from '../src/engine/signals';
import type { ScoredImage } from '../src/protocol/scanResults';
import { SIGNAL_GROUPS } from '../src/protocol/scanResults';

const PRESET_NAMES = (process.env.SIGNALS_PRESETS ?? 'fast,seed').split(',') as PresetName[];
const IMAGES = Number(process.env.SIGNALS_IMAGES ?? 1024);
const ROUNDS = Number(process.env.SIGNALS_ROUNDS ?? 3);
const BACKEND = (process.env.SIGNALS_BACKEND ?? 'wasm') as BackendName;
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join('bench', 'results');
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];

async function main(): Promise<void> {
  const backend = await selectBackend(BACKEND);
  const dataset = await loadDataset('fashion-mnist', 'test', { limit: IMAGES });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-signals-bench-'));
  await Promise.all(
    Array.from({ length: dataset.count }, (_, i) =>
      sharp(Buffer.from(dataset.images.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(path.join(folder, `${i}.png`)),
    ),
  );
  const images = toImageSet(dataset.images.subarray(0, dataset.count * 784), [28, 28, 1]);
  const all = new Set(SIGNAL_GROUPS);
  const rows = [];
  try {
    for (const preset of PRESET_NAMES) {
      const detector = new LlrDetector(new PixelCnn([28, 28, 1], PRESETS[preset], 1), new PixelCnn([28, 28, 1], PRESETS[preset], 2), SEED_FIT_CONFIG, [], scoringFor(backend.name));
      const scoring = await detector.prepareScoring();
      const calibration = await calibrateDetector(detector, images, 'bench');
      await scanFolder(folder, detector, { signals: new Set() }); // warm-up
      const plain: number[] = [];
      const signals: number[] = [];
      let lastItems: ScoredImage[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        plain.push((await scanFolder(folder, detector, { signals: new Set(), calibration: null })).seconds);
        const items: ScoredImage[] = [];
        const full = await scanFolder(folder, detector, { signals: all, calibration, onChunk: (chunk) => void items.push(...chunk.items) });
        signals.push(full.seconds);
        lastItems = items;
      }
      // The signals' own work, alone: measures of every decoded image, each image's verdict, the folder rules.
      const started = performance.now();
      const measured = lastItems.map((item, i) =>
        judgeImage(
          { ...item, measures: measureDecodedImage({ pixels: images.pixels.subarray(i * 784, (i + 1) * 784), height: 28, width: 28, channels: 1, source: { width: 28, height: 28 } }) },
          calibration,
          calibratedSignalsOf(all),
        ),
      );
      judgeFolder(measured, { oddSizes: true, duplicates: true });
      const alone = (performance.now() - started) / 1000;
      detector.dispose();
      const row = {
        preset,
        scoring,
        images: dataset.count,
        scanSecondsWithout: median(plain),
        scanSecondsWith: median(signals),
        extraPercentEndToEnd: (100 * (median(signals) - median(plain))) / median(plain),
        signalsSecondsAlone: alone,
        signalsPercentOfPlainScan: (100 * alone) / median(plain),
        rounds: { without: plain, with: signals },
      };
      rows.push(row);
      writeResults(backend.description, rows); // after each preset: a long seed run cut short keeps the fast figures
      console.log(
        `${preset}: scan ${(1000 * row.scanSecondsWithout / row.images).toFixed(2)} ms/img without signals, ` +
          `${(1000 * row.scanSecondsWith / row.images).toFixed(2)} with (${row.extraPercentEndToEnd.toFixed(1)} % end to end, median of ${ROUNDS}); ` +
          `the signals alone ${(1000 * alone / row.images).toFixed(3)} ms/img = ${row.signalsPercentOfPlainScan.toFixed(1)} % of the plain scan`,
      );
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function writeResults(backend: string, rows: readonly object[]): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `signals-${BACKEND}.json`);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, shared with other jobs`;
  fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), backend, machine, rows }, null, 2)}\n`);
  console.log(`written ${file}`);
}

void main();
