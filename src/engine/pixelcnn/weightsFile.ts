import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { PixelCnn } from './model';
import type { ImageShape, PixelCnnConfig } from './types';

/** Name and version of the model file format. */
export const MODEL_FORMAT = { name: 'outlier-lens/pixelcnn', version: 1 } as const;

/** `model.json`: what a model is, and where each weight sits in `weights.bin` (the tfjs weights-manifest layout). */
export interface ModelFileManifest {
  readonly format: typeof MODEL_FORMAT.name;
  readonly formatVersion: number;
  readonly imageShape: ImageShape;
  readonly config: PixelCnnConfig;
  readonly weightsManifest: [{ paths: ['weights.bin']; weights: tf.io.WeightsManifestEntry[] }];
}

/** A model as bytes: its manifest and the concatenated float32 weights. */
export interface ModelArtifacts {
  readonly manifest: ModelFileManifest;
  readonly weightData: ArrayBuffer;
}

/** Serialises `model`'s configuration and weights. */
export async function encodeModel(model: PixelCnn): Promise<ModelArtifacts> {
  const weights = model.getWeights();
  try {
    const { data, specs } = await tf.io.encodeWeights(weights);
    const manifest: ModelFileManifest = {
      format: MODEL_FORMAT.name,
      formatVersion: MODEL_FORMAT.version,
      imageShape: model.imageShape,
      config: model.config,
      weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    };
    return { manifest, weightData: data };
  } finally {
    tf.dispose(weights);
  }
}

/** Rebuilds a model from `artifacts`; throws naming what is wrong (format, version, missing weights). */
export function decodeModel(artifacts: ModelArtifacts, source = 'model'): PixelCnn {
  const { manifest } = artifacts;
  if (manifest.format !== MODEL_FORMAT.name) {
    throw new Error(`${source}: not an Outlier Lens PixelCNN++ model (format '${String(manifest.format)}')`);
  }
  if (manifest.formatVersion !== MODEL_FORMAT.version) {
    throw new Error(`${source}: model format version ${manifest.formatVersion} is not supported (this version reads ${MODEL_FORMAT.version})`);
  }
  const specs = manifest.weightsManifest?.[0]?.weights;
  if (!Array.isArray(specs)) {
    throw new Error(`${source}: the manifest lists no weights`);
  }
  const expectedBytes = specs.reduce((total, spec) => total + 4 * spec.shape.reduce((product, size) => product * size, 1), 0);
  if (artifacts.weightData.byteLength !== expectedBytes) {
    throw new Error(`${source}: weights.bin holds ${artifacts.weightData.byteLength} bytes, the manifest needs ${expectedBytes}`);
  }
  const model = new PixelCnn(manifest.imageShape, manifest.config);
  const weights = tf.io.decodeWeights(artifacts.weightData, specs);
  try {
    model.setWeights(weights);
  } catch (error) {
    model.dispose();
    throw new Error(`${source}: ${(error as Error).message}`);
  } finally {
    tf.dispose(weights);
  }
  return model;
}

/** Writes `model.json` and `weights.bin` into `folder` (the detector store makes that atomic). */
export async function writeModelFolder(model: PixelCnn, folder: string): Promise<void> {
  const { manifest, weightData } = await encodeModel(model);
  await fs.promises.mkdir(folder, { recursive: true });
  await fs.promises.writeFile(path.join(folder, 'weights.bin'), Buffer.from(weightData));
  await fs.promises.writeFile(path.join(folder, 'model.json'), JSON.stringify(manifest, null, 2));
}

/** Reads a model written by `writeModelFolder`. */
export async function readModelFolder(folder: string): Promise<PixelCnn> {
  const manifestPath = path.join(folder, 'model.json');
  const weightsPath = path.join(folder, 'weights.bin');
  for (const file of [manifestPath, weightsPath]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${folder}: missing ${path.basename(file)}`);
    }
  }
  let manifest: ModelFileManifest;
  try {
    manifest = JSON.parse(await fs.promises.readFile(manifestPath, 'utf8')) as ModelFileManifest;
  } catch (error) {
    throw new Error(`${manifestPath}: not valid JSON (${(error as Error).message})`);
  }
  const bytes = await fs.promises.readFile(weightsPath);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return decodeModel({ manifest, weightData }, folder);
}
