import type { DetectorThreshold, LlrDetector, ThresholdRequest } from '../llr';
import { loadImageFolder } from '../scan';
import type { DetectorManifest } from '../store';
import { saveDetector } from '../store';
import type { JobSink } from './jobSink';

/** Which detector gets a threshold, and how: from a folder's scores (percentile, FPR on known inliers) or a value. */
export interface SetThresholdJob {
  /** A loaded detector and the manifest it was loaded with; it is saved back to `detectorFolder`. */
  readonly detector: LlrDetector;
  readonly manifest: DetectorManifest;
  readonly detectorFolder: string;
  readonly request: ThresholdRequest;
  /** The images to score; not needed for an absolute value. */
  readonly folder?: string;
  /** Score at most this many of the folder's images. */
  readonly limit?: number;
}

/** Sets the detector's threshold and saves it (atomically) as the detector's default. */
export async function setThreshold(job: SetThresholdJob, sink: JobSink, signal?: AbortSignal): Promise<DetectorThreshold> {
  let images = null;
  if (job.request.method !== 'absolute') {
    if (!job.folder) {
      throw new Error(`a ${job.request.method} threshold needs a folder of images to score`);
    }
    images = (await loadImageFolder(job.folder, job.detector.imageShape, {
      limit: job.limit,
      onProgress: (done, total) => sink.progress({ phase: 'decoding', done, total }),
    })).images;
    sink.log('info', `scoring ${images.count} images of ${job.folder}`);
  }
  const threshold = await job.detector.inferThreshold(images, job.request, {
    signal,
    onProgress: (done, total) => sink.progress({ phase: 'scanning', done, total }),
  });
  await saveDetector(job.detector, job.detectorFolder, {
    name: job.manifest.name,
    backend: job.manifest.backend,
    data: job.manifest.data,
    trainingSeconds: job.manifest.trainingSeconds,
    calibration: job.manifest.calibration,
  });
  sink.log('info', `threshold ${threshold.value.toFixed(3)} (${threshold.method}) saved in ${job.detectorFolder}`);
  return threshold;
}
