import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ScoringPlan } from '../llr';
import { LlrDetector } from '../llr';
import { readModelFolder, writeModelFolder } from '../pixelcnn';
import { writeFolderAtomic } from './atomicWrite';
import type { DetectorCalibration } from '../signals/types';
import type { DataFingerprint, DetectorManifest } from './detectorManifest';
import { DETECTOR_FORMAT, DetectorManifestError, validateDetectorManifest } from './detectorManifest';

/** What a saved detector records beside its models. */
export interface SaveDetectorOptions {
  readonly name?: string;
  readonly data?: DataFingerprint | null;
  readonly backend: string;
  readonly trainingSeconds?: number | null;
  /** Known inliers' signals (see calibrateDetector); a resave passes on the manifest's own. */
  readonly calibration?: DetectorCalibration | null;
}

/** A detector loaded from disk with its manifest. */
export interface LoadedDetector {
  readonly detector: LlrDetector;
  readonly manifest: DetectorManifest;
  /** SHA-256 of manifest.json: names this exact detector in exports. */
  readonly manifestSha256: string;
}

export { fingerprintImages } from './imageFingerprint';

/** Writes `detector` as a detector folder (manifest + both models), atomically: never half a detector. */
export async function saveDetector(detector: LlrDetector, folder: string, options: SaveDetectorOptions): Promise<DetectorManifest> {
  const manifest: DetectorManifest = {
    format: DETECTOR_FORMAT.name,
    formatVersion: DETECTOR_FORMAT.version,
    name: options.name ?? path.basename(folder),
    createdAt: new Date().toISOString(),
    imageShape: detector.imageShape,
    models: { semantic: detector.semantic.config, background: detector.background.config },
    fit: detector.fitConfig,
    threshold: detector.threshold,
    history: detector.history,
    data: options.data ?? null,
    backend: options.backend,
    trainingSeconds: options.trainingSeconds ?? null,
    calibration: options.calibration ?? null,
  };
  await writeFolderAtomic(folder, async (temp) => {
    await writeModelFolder(detector.semantic, path.join(temp, 'semantic'));
    await writeModelFolder(detector.background, path.join(temp, 'background'));
    await fs.promises.writeFile(path.join(temp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  });
  return manifest;
}

/** Reads only the manifest of a detector folder (for pickers that list detectors), validated. */
export async function readDetectorManifest(folder: string): Promise<DetectorManifest> {
  const manifestPath = path.join(folder, 'manifest.json');
  let text: string;
  try {
    text = await fs.promises.readFile(manifestPath, 'utf8');
  } catch {
    throw new DetectorManifestError(folder, 'no manifest.json: not a detector folder');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DetectorManifestError(folder, `manifest.json is not valid JSON (${(error as Error).message})`);
  }
  return validateDetectorManifest(parsed, folder);
}

/** Loads a detector folder, to score by `scoring` (default: TensorFlow.js); throws naming the problem (version, shape mismatch, missing weights). */
export async function loadDetector(folder: string, scoring?: ScoringPlan): Promise<LoadedDetector> {
  const manifest = await readDetectorManifest(folder);
  const semantic = await readModelFolder(path.join(folder, 'semantic'));
  let background;
  try {
    background = await readModelFolder(path.join(folder, 'background'));
  } catch (error) {
    semantic.dispose();
    throw error;
  }
  for (const [role, model] of [['semantic', semantic], ['background', background]] as const) {
    if (model.imageShape.join() !== manifest.imageShape.join()) {
      semantic.dispose();
      background.dispose();
      throw new DetectorManifestError(folder, `the ${role} model is for ${model.imageShape.join('×')} images but the manifest says ${manifest.imageShape.join('×')}`);
    }
  }
  const detector = new LlrDetector(semantic, background, manifest.fit, [...manifest.history], scoring);
  detector.threshold = manifest.threshold;
  const manifestSha256 = createHash('sha256').update(await fs.promises.readFile(path.join(folder, 'manifest.json'))).digest('hex');
  return { detector, manifest, manifestSha256 };
}
