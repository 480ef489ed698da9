import { setThreshold } from '../../jobs/setThreshold';
import type { InferThresholdRequest, InferThresholdResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';

/** The threshold request as the `setThreshold` job, on the cached detector. */
export async function handleInferThreshold(request: InferThresholdRequest, context: RequestContext): Promise<InferThresholdResult> {
  await context.backend();
  const lease = await context.detectors.acquire(request.detectorFolder);
  try {
    const threshold = await setThreshold(
      {
        detector: lease.detector,
        manifest: lease.manifest,
        detectorFolder: request.detectorFolder,
        request: request.request,
        ...(request.folder ? { folder: request.folder } : {}),
      },
      context,
      context.signal,
    );
    return { kind: 'inferThreshold', threshold };
  } finally {
    lease.release();
  }
}
