import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { validateDetectorManifest } from '../../engine/store/detectorManifest';
import type { DetectorSummary } from './detectorSummary';

/**
 * Reads and validates a detector folder's manifest.json without loading its models (the host
 * never loads TensorFlow.js); throws a DetectorManifestError naming the problem.
 */
export async function readDetectorSummary(folder: string): Promise<DetectorSummary> {
  const bytes = await fs.promises.readFile(path.join(folder, 'manifest.json'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`${folder}: manifest.json is not valid JSON (${(error as Error).message})`);
  }
  const manifest = validateDetectorManifest(parsed, folder);
  return { folder, manifest, manifestSha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Every valid detector folder directly under `root`, newest first; unreadable ones are skipped. */
export async function listDetectors(root: string): Promise<DetectorSummary[]> {
  const entries = await fs.promises.readdir(root, { withFileTypes: true }).catch(() => []);
  const summaries = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => readDetectorSummary(path.join(root, entry.name)).catch(() => null)),
  );
  return summaries.filter((summary): summary is DetectorSummary => summary !== null).sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
}

/**
 * SHA-256 of both models' files (names and bytes): the scores depend on these alone, so a cache
 * keyed by it survives a new threshold in manifest.json but not retraining.
 */
export async function readModelsDigest(folder: string): Promise<string> {
  const hash = createHash('sha256');
  for (const role of ['semantic', 'background']) {
    const roleFolder = path.join(folder, role);
    for (const name of (await fs.promises.readdir(roleFolder)).sort()) {
      hash.update(`${role}/${name}\0`).update(await fs.promises.readFile(path.join(roleFolder, name)));
    }
  }
  return hash.digest('hex');
}
