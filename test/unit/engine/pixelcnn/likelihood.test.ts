import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { MixtureParams } from '../../../../src/engine/pixelcnn';
import { PixelCnn, discretizedLogisticMixtureLogProb } from '../../../../src/engine/pixelcnn';
import { describeOnEachBackend } from '../backendMatrix';
import { readFloats } from '../readback';

/** One pixel's mixture, in plain numbers: logits[k], locs[k][c], scales[k][c], coeffs[k][m] (unit scale). */
interface PlainMixture {
  logits: number[];
  locs: number[][];
  scales: number[][];
  coeffs: number[][];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Independent float64 reference: log Σ_k π_k Π_c P_k(x_c), with the edge bins at low and high. */
function referenceLogProb(mixture: PlainMixture, pixel: number[], low: number, high: number): number {
  const half = (high - low) / 2;
  const unit = pixel.map((value) => (2 * (value - low)) / (high - low) - 1);
  const maxLogit = Math.max(...mixture.logits);
  const normaliser = mixture.logits.reduce((sum, logit) => sum + Math.exp(logit - maxLogit), 0);
  let total = 0;
  mixture.logits.forEach((logit, k) => {
    let probability = Math.exp(logit - maxLogit) / normaliser;
    let coefficient = 0;
    pixel.forEach((value, c) => {
      let loc = mixture.locs[k][c];
      for (let previous = 0; previous < c; previous++) {
        loc += mixture.coeffs[k][coefficient++] * unit[previous];
      }
      const mean = low + (loc + 1) * half;
      const scale = mixture.scales[k][c] * half;
      // Right of the mean, σ(a) − σ(b) = σ(−b) − σ(−a) avoids cancelling two numbers close to 1.
      const cdf = (z: number): number => sigmoid((z - mean) / scale);
      const survival = (z: number): number => sigmoid((mean - z) / scale);
      const interior = value > mean ? survival(value - 0.5) - survival(value + 0.5) : cdf(value + 0.5) - cdf(value - 0.5);
      const p = value === low ? cdf(low + 0.5) : value === high ? survival(high - 0.5) : interior;
      probability *= p;
    });
    total += probability;
  });
  return Math.log(total);
}

/** Mixture parameters for `count` pixels that all share one context, as the tensors the network gives. */
function repeatedParams(mixture: PlainMixture, count: number): MixtureParams {
  const mixtures = mixture.logits.length;
  const channels = mixture.locs[0].length;
  const coeffCount = mixture.coeffs[0]?.length ?? 0;
  const repeat = (values: number[], size: number): number[] => Array.from({ length: count }, () => values).flat().slice(0, count * size);
  return {
    logits: tf.tensor4d(repeat(mixture.logits, mixtures), [count, 1, 1, mixtures]),
    locs: tf.tensor5d(repeat(mixture.locs.flat(), mixtures * channels), [count, 1, 1, mixtures, channels]),
    scales: tf.tensor5d(repeat(mixture.scales.flat(), mixtures * channels), [count, 1, 1, mixtures, channels]),
    coeffs: coeffCount ? tf.tensor5d(repeat(mixture.coeffs.flat(), mixtures * coeffCount), [count, 1, 1, mixtures, coeffCount]) : null,
  };
}

/** Every pixel value (gray) or every colour (RGB) of the range low..high, as [count, 1, 1, C]. */
function allValues(channels: number, low: number, high: number): number[][] {
  const levels = Array.from({ length: high - low + 1 }, (_, i) => low + i);
  if (channels === 1) {
    return levels.map((value) => [value]);
  }
  return levels.flatMap((r) => levels.flatMap((g) => levels.map((b) => [r, g, b])));
}

/** log P of each of `pixels` (as [count, C]) under `mixture`, computed by the engine on the active backend. */
async function logProbs(mixture: PlainMixture, pixels: number[][], low: number, high: number): Promise<Float32Array> {
  const logProb = tf.tidy(() => {
    const params = repeatedParams(mixture, pixels.length);
    const values = tf.tensor4d(pixels.flat(), [pixels.length, 1, 1, pixels[0].length]);
    return discretizedLogisticMixtureLogProb(params, values, { low, high });
  });
  return readFloats(logProb);
}

const GRAY_CASES: Array<[string, PlainMixture]> = [
  ['one component, moderate scale', { logits: [0], locs: [[0.1]], scales: [[0.05]], coeffs: [[]] }],
  ['three components', { logits: [1, -2, 0.5], locs: [[-0.9], [0.2], [0.97]], scales: [[0.01], [0.3], [0.02]], coeffs: [[], [], []] }],
  ['the smallest scale the network gives (e^-7)', { logits: [0, 0], locs: [[0.5], [-1]], scales: [[Math.exp(-7)], [Math.exp(-7)]], coeffs: [[], []] }],
  ['a huge scale', { logits: [0], locs: [[0]], scales: [[1e3]], coeffs: [[]] }],
  ['a location far outside the range', { logits: [0, 3], locs: [[40], [-25]], scales: [[0.02], [0.05]], coeffs: [[], []] }],
];

describeOnEachBackend('Discretized logistic mixture likelihood', () => {
  for (const [name, mixture] of GRAY_CASES) {
    it(`sums to 1 over the 256 values of a gray pixel (${name})`, async () => {
      const probabilities = await logProbs(mixture, allValues(1, 0, 255), 0, 255);
      const total = probabilities.reduce((sum, logP) => sum + Math.exp(logP), 0);
      assert.ok(Math.abs(total - 1) <= 1e-4, `total probability ${total}`);
    });
  }

  it('sums to 1 over every colour of an RGB pixel with channel coefficients (K = 2, 16 levels)', async () => {
    const mixture: PlainMixture = {
      logits: [0.3, -0.4],
      locs: [[-0.2, 0.1, 0.5], [0.6, -0.7, 0.0]],
      scales: [[0.1, 0.3, 0.05], [0.2, 0.02, 0.4]],
      coeffs: [[0.5, -0.8, 0.9], [-0.3, 0.2, 0.7]],
    };
    const probabilities = await logProbs(mixture, allValues(3, 0, 15), 0, 15);
    const total = probabilities.reduce((sum, logP) => sum + Math.exp(logP), 0);
    assert.ok(Math.abs(total - 1) <= 1e-4, `total probability ${total}`);
  });

  it('agrees with an independent float64 reimplementation, edge values 0 and 255 included', async () => {
    const mixture: PlainMixture = {
      logits: [0.3, -0.4, 1.1],
      locs: [[-0.2, 0.1, 0.5], [0.6, -0.7, 0.0], [-0.99, 0.99, 0.2]],
      scales: [[0.1, 0.3, 0.05], [0.2, 0.02, 0.4], [0.01, 0.5, 0.08]],
      coeffs: [[0.5, -0.8, 0.9], [-0.3, 0.2, 0.7], [0.1, 0.1, -0.6]],
    };
    const pixels = [[0, 0, 0], [255, 255, 255], [0, 128, 255], [255, 3, 0], [17, 200, 99], [128, 127, 1], [254, 1, 254]];
    const actual = await logProbs(mixture, pixels, 0, 255);
    pixels.forEach((pixel, index) => {
      const expected = referenceLogProb(mixture, pixel, 0, 255);
      assert.ok(Math.abs(actual[index] - expected) <= 1e-3 * Math.max(1, Math.abs(expected)), `pixel ${pixel}: ${actual[index]} vs ${expected}`);
    });
    const gray: PlainMixture = { logits: [0], locs: [[-0.5]], scales: [[0.05]], coeffs: [[]] };
    const grayPixels = [[0], [1], [127], [254], [255]];
    const grayActual = await logProbs(gray, grayPixels, 0, 255);
    grayPixels.forEach((pixel, index) => {
      const expected = referenceLogProb(gray, pixel, 0, 255);
      assert.ok(Math.abs(grayActual[index] - expected) <= 1e-4 * Math.max(1, Math.abs(expected)), `pixel ${pixel}: ${grayActual[index]} vs ${expected}`);
    });
  });

  it('gives the edge values their tail mass: P(0) = σ((0.5 − μ)/s), P(255) = 1 − σ((254.5 − μ)/s)', async () => {
    // A location at the left edge puts about half the mass on 0; the interior formula would give far less.
    const mixture: PlainMixture = { logits: [0], locs: [[-1]], scales: [[0.1]], coeffs: [[]] };
    const [atLow, atHigh] = await logProbs(mixture, [[0], [255]], 0, 255);
    const scale = 0.1 * 127.5;
    assert.ok(Math.abs(Math.exp(atLow) - sigmoid(0.5 / scale)) < 1e-5);
    assert.ok(Math.abs(Math.exp(atHigh) - (1 - sigmoid(254.5 / scale))) < 1e-6);
  });

  it('stays finite (no NaN, no −∞) for extreme but finite network outputs', async () => {
    const extremes: PlainMixture[] = [
      { logits: [3e38, -3e38], locs: [[1e30], [-1e30]], scales: [[1e-30], [3e38]], coeffs: [[], []] },
      { logits: [0], locs: [[-3e38]], scales: [[Math.exp(-7)]], coeffs: [[]] },
      { logits: [0], locs: [[3e38]], scales: [[3e38]], coeffs: [[]] },
    ];
    for (const mixture of extremes) {
      for (const value of await logProbs(mixture, [[0], [1], [128], [254], [255]], 0, 255)) {
        assert.ok(Number.isFinite(value), `log-probability ${value} for ${JSON.stringify(mixture)}`);
      }
    }
    const rgb: PlainMixture = { logits: [0], locs: [[0, 0, 0]], scales: [[0.1, 0.1, 0.1]], coeffs: [[3e38, -3e38, 3e38]] };
    for (const value of await logProbs(rgb, [[0, 0, 0], [255, 255, 255], [128, 0, 255]], 0, 255)) {
      assert.ok(Number.isFinite(value), `RGB log-probability ${value}`);
    }
  });

  it('gives a constant image (all 0, all 255) a finite likelihood under a fresh model, gray and RGB', async () => {
    for (const channels of [1, 3]) {
      const model = new PixelCnn([6, 6, channels], { numResnet: 1, numHierarchies: 2, numFilters: 4, numLogisticMix: 3 }, 2);
      const images = tf.concat([tf.zeros([1, 6, 6, channels]), tf.fill([1, 6, 6, channels], 255)]) as tf.Tensor4D;
      const values = await readFloats(model.logProb(images));
      images.dispose();
      for (const value of values) {
        assert.ok(Number.isFinite(value) && value < 0, `log-likelihood ${value}`);
      }
      model.dispose();
    }
  });
});
