import { LEARNING_RATE_SCHEDULES } from '../llr/learningRate';
import type { DetectorManifest } from '../../protocol/detector';

export type { DataFingerprint, DetectorManifest } from '../../protocol/detector';

/** Name and version of the detector folder format (2 added `calibration`; version 1 folders still load, without it). */
export const DETECTOR_FORMAT = { name: 'outlier-lens/detector', version: 2 } as const;

/** The oldest detector format version this one reads. */
export const OLDEST_DETECTOR_FORMAT_VERSION = 1;

/** Thrown for a manifest that is not one this version can load; `problem` says which field and why. */
export class DetectorManifestError extends Error {
  constructor(readonly source: string, readonly problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'DetectorManifestError';
  }
}

type Check = (value: unknown) => boolean;
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isString: Check = (value) => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks `value` field by field and returns it typed; throws naming the first wrong field. */
export function validateDetectorManifest(value: unknown, source: string): DetectorManifest {
  const fail = (problem: string): never => {
    throw new DetectorManifestError(source, problem);
  };
  if (!isObject(value)) {
    return fail('manifest.json is not a JSON object');
  }
  if (value.format !== DETECTOR_FORMAT.name) {
    fail(`not an Outlier Lens detector (format is ${JSON.stringify(value.format)}, expected "${DETECTOR_FORMAT.name}")`);
  }
  const version = value.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < OLDEST_DETECTOR_FORMAT_VERSION || version > DETECTOR_FORMAT.version) {
    fail(
      typeof version === 'number' && version > DETECTOR_FORMAT.version
        ? `detector format version ${version} is newer than this Outlier Lens reads (${OLDEST_DETECTOR_FORMAT_VERSION}–${DETECTOR_FORMAT.version}); update Outlier Lens`
        : `detector format version ${JSON.stringify(version)} is not supported (this version reads ${OLDEST_DETECTOR_FORMAT_VERSION}–${DETECTOR_FORMAT.version}); retrain or update Outlier Lens`,
    );
  }
  // Version 1 detectors have no calibration: they load, and scans say which signals they lack.
  value.calibration ??= null;
  const require = (field: string, check: Check, expected: string): void => {
    if (!check(value[field])) {
      fail(`field "${field}" must be ${expected}, got ${JSON.stringify(value[field])}`);
    }
  };
  require('name', isString, 'a string');
  require('createdAt', isString, 'an ISO date string');
  require('backend', isString, 'a string');
  require('imageShape', (shape) => Array.isArray(shape) && shape.length === 3 && shape.every((size) => Number.isInteger(size) && size > 0) && (shape[2] === 1 || shape[2] === 3), '[height, width, 1 | 3]');
  require('models', (models) => isObject(models) && isObject(models.semantic) && isObject(models.background), '{ semantic, background } configurations');
  require('fit', (fit) => isObject(fit) && ['epochs', 'batchSize', 'learningRate', 'mutationRate', 'l2Background', 'seed'].every((key) => isNumber(fit[key])), 'a fit configuration with numeric epochs, batchSize, learningRate, mutationRate, l2Background, seed');
  // Detectors written before the schedule was a setting trained at a constant rate.
  const fit = value.fit as Record<string, unknown>;
  fit.learningRateSchedule ??= 'constant';
  require('fit', () => (LEARNING_RATE_SCHEDULES as readonly unknown[]).includes(fit.learningRateSchedule), `a fit configuration whose learningRateSchedule is ${LEARNING_RATE_SCHEDULES.join(' or ')}`);
  require('threshold', (threshold) => threshold === null || (isObject(threshold) && isNumber(threshold.value) && ['absolute', 'percentile', 'fpr'].includes(threshold.method as string)), 'null or { value, method }');
  require('history', Array.isArray, 'an array');
  require('data', (data) => data === null || (isObject(data) && isNumber(data.imageCount) && isString(data.sha256)), 'null or { source, imageCount, sha256 }');
  require('calibration', (calibration) => calibration === null || isCalibration(calibration), 'null or { version, source, imageCount, reference: { llr, semanticLogProb, brightness, entropy, sharpness } } with imageCount sorted numbers each');
  return value as unknown as DetectorManifest;
}

const CALIBRATION_MEASURES = ['llr', 'semanticLogProb', 'brightness', 'entropy', 'sharpness'] as const;

function isCalibration(value: unknown): boolean {
  if (!isObject(value) || !isString(value.source) || !isNumber(value.version) || !Number.isInteger(value.imageCount) || !isObject(value.reference)) {
    return false;
  }
  const reference = value.reference;
  return CALIBRATION_MEASURES.every((measure) => {
    const values = reference[measure];
    return Array.isArray(values) && values.length === value.imageCount && values.every((item, i) => isNumber(item) && (i === 0 || values[i - 1] <= item));
  });
}
