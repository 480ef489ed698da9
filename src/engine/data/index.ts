// Public API of the data layer: finding image files, decoding them, and reading idx data sets.
export { walkImageFolder } from './folder/walkImageFolder';
export { DEFAULT_IMAGE_EXTENSIONS } from './folder/types';
export type { FolderWalkError, FolderWalkOptions, FolderWalkResult, ImageFileEntry } from './folder/types';

export { decodeImage } from './image/decodeImage';
export { decodeImages } from './image/decodeImages';
export type { DecodeImagesOptions, ImageDecodeResult } from './image/decodeImages';
export { decodeImageForDisplay } from './image/decodeImageForDisplay';
export { decodeBmp } from './image/bmp/decodeBmp';
export type { BmpPixels } from './image/bmp/decodeBmp';
export { BUFFER_SOURCE, ImageDecodeError } from './image/imageDecodeError';
export { sniffImageFormat } from './image/sniffImageFormat';
export { RESIZE_KERNEL } from './image/toTargetPixels';
export { DEFAULT_LIMIT_INPUT_PIXELS } from './image/types';
export type { DecodedImage, DecodeOptions, ImageFormat, ImageSource, ImageTarget } from './image/types';

export { readIdx } from './idx/readIdx';
export { IdxFormatError } from './idx/idxFormatError';
export { loadDataset } from './idx/loadDataset';
export type { LoadDatasetOptions } from './idx/loadDataset';
export { DEBIAN_FASHION_MNIST_FOLDER, locateDataset } from './idx/locateDataset';
export type { DatasetFiles } from './idx/locateDataset';
export { writeDatasetAsPngFolder } from './idx/writeDatasetAsPngFolder';
export type { WritePngFolderOptions, WrittenPngFolder } from './idx/writeDatasetAsPngFolder';
export type { DatasetName, DatasetSplit, IdxArray, ImageDataset } from './idx/types';
export { DEMO_COUNTS, writeDemoFolder } from './demo/writeDemoFolder';
export type { DemoFolder } from './demo/writeDemoFolder';
