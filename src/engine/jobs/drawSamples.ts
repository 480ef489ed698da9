import * as tf from '@tensorflow/tfjs-core';
import type { LlrDetector, ModelRole } from '../llr';
import { sampleOnCpuNatively } from '../onnx/nativeSampleNetwork';
import type { ImageShape } from '../pixelcnn';
import type { JobSink } from './jobSink';
import { tileImagesAsPng } from './tileImagesAsPng';

/** Which model to draw from, how many images, and the seed that makes the draw repeatable. */
export interface DrawSamplesJob {
  readonly detector: LlrDetector;
  readonly role: ModelRole;
  readonly count: number;
  readonly seed: number;
  /** Also tile the images into one PNG. */
  readonly png: boolean;
}

/** Images drawn from a model: HWC pixels one image after another, and the grid as a PNG when asked. */
export interface DrawnSamples {
  readonly pixels: Uint8Array;
  readonly imageShape: ImageShape;
  readonly png: Uint8Array | null;
}

/** Draws images from one of the detector's models, row by row (on ONNX Runtime where it loads); a cancel is seen between rows. */
export async function drawSamples(job: DrawSamplesJob, sink: JobSink, signal?: AbortSignal): Promise<DrawnSamples> {
  const model = job.role === 'semantic' ? job.detector.semantic : job.detector.background;
  const samples = await sampleOnCpuNatively(model, job.count, {
    seed: job.seed,
    signal,
    onRow: (done, rows) => sink.progress({ phase: 'sampling', done, total: rows }),
  });
  const pixels = Uint8Array.from(await samples.data());
  tf.dispose(samples);
  const png = job.png ? await tileImagesAsPng(pixels, job.count, model.imageShape) : null;
  return { pixels, imageShape: model.imageShape, png };
}
