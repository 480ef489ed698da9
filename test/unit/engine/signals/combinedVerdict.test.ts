import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { auroc } from '../../../../src/common/metrics/auroc';
import { selectBackend } from '../../../../src/engine/backend/selectBackend';
import { DEBIAN_FASHION_MNIST_FOLDER, loadDataset } from '../../../../src/engine/data';
import type { ImageDataset } from '../../../../src/engine/data';
import { LlrDetector, PRESET_FIT, selectImages, toImageSet } from '../../../../src/engine/llr';
import type { ImageSet } from '../../../../src/engine/llr';
import { PRESETS } from '../../../../src/engine/pixelcnn';
import { scanFolder } from '../../../../src/engine/scan';
import { scoringFor, trainerFor } from '../../../../src/engine/strategies/chooseStrategies';
import { calibrateDetector, calibratedSignalsOf, judgeImage, measureDecodedImage } from '../../../../src/engine/signals';
import type { DetectorCalibration } from '../../../../src/engine/signals';
import type { CalibratedSignal, OutlierReason, ScoredImage } from '../../../../src/protocol/scanResults';
import { SIGNAL_GROUPS } from '../../../../src/protocol/scanResults';

const ALL_SIGNALS = calibratedSignalsOf(new Set(SIGNAL_GROUPS));
const SHAPE = [28, 28, 1] as const;

/** Images [start, end) of a data set as an image set. */
function slice(dataset: ImageDataset, start: number, end: number): ImageSet {
  return selectImages(toImageSet(dataset.images, [...SHAPE]), Array.from({ length: end - start }, (_, i) => start + i));
}

/** Writes raw 28×28 grey images as PNGs named `${prefix}${i}.png`. */
async function writePngs(folder: string, prefix: string, images: readonly Uint8Array[]): Promise<void> {
  await fs.promises.mkdir(folder, { recursive: true });
  await Promise.all(images.map((pixels, i) => sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(path.join(folder, `${prefix}${i}.png`))));
}

/** A deterministic stream of uniform bytes. */
function noise(count: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: count }, () => (state = (state * 1103515245 + 12345) % 2147483648) >>> 23);
}

describe('the calibrated verdict on Fashion-MNIST with blank, noise and MNIST images', function () {
  this.timeout(1_200_000);
  let fashionTrain: ImageDataset;
  let fashionTest: ImageDataset;
  let detector: LlrDetector;
  let calibration: DetectorCalibration;
  let root: string;
  let items: Map<string, ScoredImage[]>;
  /** Reasons only the whole folder gives (duplicates, odd sizes): streamed items lack them. */
  let folderReasons: ReadonlyMap<string, readonly OutlierReason[]>;

  before(async function () {
    if (!fs.existsSync(DEBIAN_FASHION_MNIST_FOLDER)) this.skip(); // needs `apt-get install dataset-fashion-mnist`
    const backend = await selectBackend('wasm');
    fashionTrain = await loadDataset('fashion-mnist', 'train', { limit: 4000 });
    fashionTest = await loadDataset('fashion-mnist', 'test', { limit: 3000 });
    const mnist = await loadDataset('mnist', 'test', { limit: 300 });
    const started = performance.now();
    // The fast preset for one epoch on 1,500 images: a weak ratio, but a real one, in a minute or two.
    detector = await LlrDetector.fit(slice(fashionTrain, 0, 1500), { ...PRESET_FIT.fast, epochs: 1, semanticConfig: PRESETS.fast }, { trainer: trainerFor(backend.name), scoring: scoringFor(backend.name) });
    const trained = performance.now();
    // Known inliers the detector did not train on, as the training hold-out would be.
    calibration = await calibrateDetector(detector, slice(fashionTrain, 1500, 4000), 'test hold-out');
    console.log(`      trained in ${((trained - started) / 1000).toFixed(0)} s, calibrated on 2,500 images in ${((performance.now() - trained) / 1000).toFixed(0)} s`);

    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outlier-lens-verdict-'));
    const image = (dataset: ImageDataset, i: number): Uint8Array => dataset.images.subarray(i * 784, (i + 1) * 784);
    await writePngs(path.join(root, 'fashion'), 'f', Array.from({ length: 500 }, (_, i) => image(fashionTest, i)));
    await writePngs(path.join(root, 'mnist'), 'm', Array.from({ length: 300 }, (_, i) => image(mnist, i)));
    await writePngs(path.join(root, 'noise'), 'n', Array.from({ length: 50 }, (_, i) => noise(784, 7 + i)));
    for (const level of [0, 64, 128, 192, 255]) {
      // Ten copies of each blank: exact duplicates of one another as well.
      await writePngs(path.join(root, `blank-${level}`), 'b', Array.from({ length: 10 }, () => new Uint8Array(784).fill(level)));
    }
    items = new Map();
    ({ folderReasons } = await scanFolder(root, detector, {
      calibration,
      onChunk: (chunk) => {
        for (const item of chunk.items) {
          const kind = item.relativePath.split('/')[0];
          items.set(kind, [...(items.get(kind) ?? []), item]);
        }
      },
    }));
  });

  after(() => {
    detector?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const scoresOf = (kind: string, score: (item: ScoredImage) => number = (item) => item.outlierScore as number): number[] => (items.get(kind) ?? []).map(score);
  const ascending = (scores: number[]): Float64Array => Float64Array.from(scores).sort();
  const versusInliers = (kind: string, score?: (item: ScoredImage) => number): number =>
    auroc({ inlierScores: ascending(scoresOf('fashion', score)), outlierScores: ascending(scoresOf(kind, score)) });

  it('ranks blank images of every grey level above every inlier, for low information', () => {
    for (const level of [0, 64, 128, 192, 255]) {
      const kind = `blank-${level}`;
      const combined = versusInliers(kind);
      console.log(`      ${kind}: AUROC ${combined.toFixed(4)} combined, ${versusInliers(kind, (item) => item.instanceScore).toFixed(4)} LLR alone`);
      assert.ok(combined >= 0.99, `${kind}: ${combined}`);
      for (const item of items.get(kind) ?? []) {
        const reasons = [...(item.reasons ?? []), ...(folderReasons.get(item.relativePath) ?? [])];
        assert.ok(reasons.includes('low-information') && reasons.includes('exact-duplicate'), `${item.relativePath}: ${reasons.join()}`);
      }
    }
  });

  it('ranks uniform noise above every inlier, as unlikely under the semantic model', () => {
    const combined = versusInliers('noise');
    console.log(`      noise: AUROC ${combined.toFixed(4)} combined, ${versusInliers('noise', (item) => item.instanceScore).toFixed(4)} LLR alone`);
    assert.ok(combined >= 0.99, `${combined}`);
    assert.ok((items.get('noise') ?? []).every((item) => item.reasons?.includes('unlikely')));
  });

  it('keeps the LLR\'s AUROC on MNIST digits (no loss from combining)', () => {
    const llr = versusInliers('mnist', (item) => item.instanceScore);
    const combined = versusInliers('mnist');
    console.log(`      MNIST: AUROC ${combined.toFixed(4)} combined, ${llr.toFixed(4)} LLR alone`);
    assert.ok(combined >= llr - 0.01, `combined ${combined}, LLR ${llr}`);
  });

  it('flags about 1 % of clean inliers by default', () => {
    const rate = scoresOf('fashion').filter((score) => score > 2).length / 500;
    console.log(`      default flag rate on 500 Fashion-MNIST test images: ${(100 * rate).toFixed(1)} %`);
    assert.ok(rate <= 0.03, `${rate}`);
  });

  it('is calibrated: each signal flags 5 % ± 1.5 % of unseen inliers at a 5 % threshold', async () => {
    const unseen = slice(fashionTest, 500, 3000);
    const scores = await detector.score(unseen);
    const rates: Partial<Record<CalibratedSignal, number>> = {};
    for (const signal of ALL_SIGNALS) {
      let flagged = 0;
      for (let i = 0; i < unseen.count; i++) {
        const pixels = unseen.pixels.subarray(i * 784, (i + 1) * 784);
        const measures = measureDecodedImage({ pixels, height: 28, width: 28, channels: 1, source: { width: 28, height: 28 } });
        const item: ScoredImage = { relativePath: `${i}`, instanceScore: scores.instanceScore[i], semanticLogProb: scores.semanticLogProb[i], backgroundLogProb: scores.backgroundLogProb[i], size: 0, mtimeMs: 0, measures };
        const p = judgeImage(item, calibration, [signal]).tailProbabilities?.[signal] as number;
        flagged += p < 0.05 ? 1 : 0;
      }
      rates[signal] = flagged / unseen.count;
    }
    console.log(`      flag rates at 5 % on 2,500 unseen inliers: ${JSON.stringify(rates)}`);
    for (const [signal, rate] of Object.entries(rates)) {
      assert.ok(Math.abs(rate - 0.05) <= 0.015, `${signal}: ${rate}`);
    }
  });
});
