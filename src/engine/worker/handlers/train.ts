import { trainDetector } from '../../jobs/trainDetector';
import type { TrainRequest, TrainResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';

/** The train request as the `trainDetector` job; the detector it writes stays cached for the scan that follows. */
export async function handleTrain(request: TrainRequest, context: RequestContext): Promise<TrainResult> {
  const backend = await context.backend();
  const { preset, ...fit } = request.settings;
  const trained = await trainDetector(
    {
      folder: request.folder,
      detectorFolder: request.detectorFolder,
      detectorName: request.detectorName,
      include: request.include,
      exclude: request.exclude,
      ...(request.imageSize ? { imageSize: request.imageSize } : {}),
      ...(request.channels ? { channels: request.channels } : {}),
      preset,
      fit,
      backend,
      ...(request.checkpointFolder ? { checkpointFolder: request.checkpointFolder } : {}),
      // The checkpoint folder is the extension's own: one left by other training is set aside, not an error.
      setAsideUnusableCheckpoints: true,
    },
    context,
    context.signal,
  );
  try {
    await context.detectors.put(request.detectorFolder, trained.detector, trained.manifest);
  } catch (error) {
    trained.detector.dispose();
    throw error;
  }
  return { kind: 'train', detectorFolder: request.detectorFolder, manifest: trained.manifest, failures: trained.failures };
}
