import * as tf from '@tensorflow/tfjs-core';
import type { SampleRequest, SampleResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';
import { tileImagesAsPng } from '../tileImagesAsPng';
import { sampleOnCpuNatively } from '../../onnx/nativeSampleNetwork';

/** Draws images from one model, row by row; a cancel is seen between rows. */
export async function handleSample(request: SampleRequest, context: RequestContext): Promise<SampleResult> {
  await context.backend(request.backend);
  const lease = await context.detectors.acquire(request.detectorFolder, false);
  try {
    const model = request.role === 'semantic' ? lease.detector.semantic : lease.detector.background;
    const [height, width, channels] = model.imageShape;
    const samples = await sampleOnCpuNatively(model, request.count, {
      seed: request.seed,
      signal: context.signal,
      onRow: (done, rows) => context.progress({ phase: 'sampling', done, total: rows }),
    });
    const pixels = Uint8Array.from(await samples.data());
    tf.dispose(samples);
    const png = request.png ? await tileImagesAsPng(pixels, request.count, model.imageShape) : null;
    return { kind: 'sample', role: request.role, count: request.count, height, width, channels: channels as 1 | 3, pixels, png };
  } finally {
    lease.release();
  }
}
