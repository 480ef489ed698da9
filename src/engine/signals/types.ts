/** Version of the calibration record a detector stores. */
export const CALIBRATION_VERSION = 1;

export type { CalibrationReference, DetectorCalibration } from '../../protocol/detector';
