/** Scanning folders with a detector, and loading folders as training images. */
export { scanFolder } from './scanFolder';
export { runScanJob } from './scanJob';
export type { ResultLogTarget, ScanJobRequest, ScanJobResult } from './scanJob';
export { isUnchanged } from './unchangedFile';
export type { ScanChunk, ScanOptions, ScanResult } from './scanFolder';
export { loadImageFolder } from './loadImageFolder';
export type { LoadedImageFolder, LoadImageFolderOptions } from './loadImageFolder';
export { probeImageShape, MAX_AUTO_SIDE } from './probeImageShape';
export { sampleFiles } from './sampleFiles';
