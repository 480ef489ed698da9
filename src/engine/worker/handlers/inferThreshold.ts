import { loadImageFolder } from '../../scan';
import { saveDetector } from '../../store';
import type { InferThresholdRequest, InferThresholdResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';

/** Sets the detector's threshold from a folder's scores (percentile, FPR) or a value, and saves it as the detector's default. */
export async function handleInferThreshold(request: InferThresholdRequest, context: RequestContext): Promise<InferThresholdResult> {
  const backend = await context.backend(request.backend);
  const lease = await context.detectors.acquire(request.detectorFolder);
  try {
    const images = request.folder && request.request.method !== 'absolute'
      ? (await loadImageFolder(request.folder, lease.detector.imageShape, { onProgress: (done, total) => context.progress({ phase: 'decoding', done, total }) })).images
      : null;
    const threshold = await lease.detector.inferThreshold(images, request.request, {
      signal: context.signal,
      onProgress: (done, total) => context.progress({ phase: 'scanning', done, total }),
    });
    await saveDetector(lease.detector, request.detectorFolder, {
      name: lease.manifest.name,
      backend: lease.manifest.backend || backend.description,
      data: lease.manifest.data,
      trainingSeconds: lease.manifest.trainingSeconds,
      calibration: lease.manifest.calibration,
    });
    context.log('info', `threshold ${threshold.value.toFixed(3)} (${threshold.method}) saved in ${request.detectorFolder}`);
    return { kind: 'inferThreshold', threshold };
  } finally {
    lease.release();
  }
}
