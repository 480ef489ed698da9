/** Detector folders on disk (atomic writes, validated manifests), training checkpoints, and atomic file writing. */
export { saveDetector, loadDetector, readDetectorManifest, fingerprintImages } from './detectorStore';
export type { LoadedDetector, SaveDetectorOptions } from './detectorStore';
export { DETECTOR_FORMAT, DetectorManifestError, validateDetectorManifest } from './detectorManifest';
export type { DataFingerprint, DetectorManifest } from './detectorManifest';
export { writeFileAtomic, writeFolderAtomic, writeStreamedFileAtomic } from './atomicWrite';
export type { TextSink } from './atomicWrite';
export { checkpointFile, readTrainingCheckpoint, removeTrainingCheckpoints, TrainingCheckpointError, writeTrainingCheckpoint } from './trainingCheckpoint';
export type { TrainingCheckpoint } from './trainingCheckpoint';
