import type { ModelTraining, TrainingReply } from '../../../src/protocol/webview';
import { seededRandom } from '../fixtures/resultSet';

/** Training curves that look like PixelCNN++ fits: fast early drop, slow tail; samples as bytes or URIs. */
export function fakeTraining(inReplyTo: number, thumbnails: readonly string[], withCurves: boolean, withSamples: boolean): TrainingReply {
  if (!withCurves) return { type: 'trainingReply', inReplyTo, detectorName: 'fashion-llr' };
  const random = seededRandom(11);
  const curve = (start: number, end: number, epochs: number): ModelTraining['curve'] => {
    const epochAxis = new Float32Array(epochs);
    const bitsPerDim = new Float32Array(epochs);
    const validationBitsPerDim = new Float32Array(epochs);
    const loss = new Float32Array(epochs);
    for (let epoch = 0; epoch < epochs; epoch++) {
      epochAxis[epoch] = epoch + 1;
      bitsPerDim[epoch] = end + (start - end) * Math.exp(-epoch / 5) + 0.01 * random();
      validationBitsPerDim[epoch] = bitsPerDim[epoch] + 0.04 + 0.002 * epoch;
      loss[epoch] = bitsPerDim[epoch] * 784 * Math.LN2;
    }
    return { epochs: epochAxis, loss, bitsPerDim, validationBitsPerDim };
  };
  const count = 16;
  const pixels = new Uint8Array(count * 28 * 28);
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < 28 * 28; i++) {
      const x = i % 28;
      const y = Math.floor(i / 28);
      const inside = Math.abs(x - 14) < 6 + (k % 4) && Math.abs(y - 14) < 9;
      pixels[k * 784 + i] = inside ? 150 + Math.floor(100 * random()) : Math.floor(20 * random());
    }
  }
  return {
    type: 'trainingReply',
    inReplyTo,
    detectorName: 'fashion-llr',
    models: {
      semantic: { curve: curve(5.2, 2.9, 30), ...(withSamples ? { samples: { kind: 'pixels', count, height: 28, width: 28, channels: 1, pixels } } : {}) },
      background: { curve: curve(5.6, 3.4, 30), ...(withSamples ? { samples: { kind: 'uris', uris: thumbnails.slice(0, 16) } } : {}) },
    },
  };
}
