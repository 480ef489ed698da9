import { drawSamples } from '../../jobs/drawSamples';
import type { SampleRequest, SampleResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';

/** The sample request as the `drawSamples` job, on the cached detector. */
export async function handleSample(request: SampleRequest, context: RequestContext): Promise<SampleResult> {
  await context.backend();
  const lease = await context.detectors.acquire(request.detectorFolder, false);
  try {
    const { detector } = lease;
    const drawn = await drawSamples({ detector, role: request.role, count: request.count, seed: request.seed, png: request.png }, context, context.signal);
    const [height, width, channels] = drawn.imageShape;
    return { kind: 'sample', role: request.role, count: request.count, height, width, channels: channels as 1 | 3, pixels: drawn.pixels, png: drawn.png };
  } finally {
    lease.release();
  }
}
