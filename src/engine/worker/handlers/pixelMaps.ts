import * as path from 'path';
import { decodeImage } from '../../data';
import { toImageSet } from '../../llr';
import type { PixelMapsRequest, PixelMapsResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';

/** Decodes one image to the detector's shape and computes its per-pixel log-likelihoods and LLR. */
export async function handlePixelMaps(request: PixelMapsRequest, context: RequestContext): Promise<PixelMapsResult> {
  await context.backend();
  const lease = await context.detectors.acquire(request.detectorFolder);
  try {
    const [height, width, channels] = lease.detector.imageShape;
    const image = await decodeImage(path.join(request.folder, request.relativePath), { height, width, channels: channels as 1 | 3 });
    const scores = await lease.detector.featureScores(toImageSet(image.pixels, lease.detector.imageShape), { signal: context.signal });
    return {
      kind: 'pixelMaps',
      maps: {
        relativePath: request.relativePath,
        height,
        width,
        semanticLogProb: scores.semanticLogProb,
        backgroundLogProb: scores.backgroundLogProb,
        llr: scores.featureScore,
      },
    };
  } finally {
    lease.release();
  }
}
