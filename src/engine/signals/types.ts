/** Version of the calibration record a detector stores. */
export const CALIBRATION_VERSION = 1;

/**
 * What a detector knows of its inliers' signals: each measure on images it did not train on
 * (the training hold-out, or a folder marked as inliers), sorted ascending, for tail probabilities.
 */
export interface DetectorCalibration {
  readonly version: number;
  /** Where the inliers came from, e.g. "training hold-out (10 %)" or a folder. */
  readonly source: string;
  readonly imageCount: number;
  readonly reference: CalibrationReference;
}

/** Sorted values of each calibrated measure on the known inliers. */
export interface CalibrationReference {
  /** The likelihood ratio, −(log p_s − log p_b). */
  readonly llr: number[];
  /** log p_semantic, for typicality. */
  readonly semanticLogProb: number[];
  readonly brightness: number[];
  readonly entropy: number[];
  readonly sharpness: number[];
}
