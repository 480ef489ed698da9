import type { CalibratedSignal, ScoredImage } from '../../protocol/scanResults';
import type { DetectorCalibration } from '../../protocol/detector';
import { calibrationWithInliers } from '../../engine/signals/calibrationWithInliers';
import { signalTails } from '../../engine/signals/signalTails';
import type { IndexedSignalValues } from './scoredIndex';

/**
 * The calibration a result set's tail probabilities are taken against: the detector's known
 * inliers (its training hold-out), joined by the images of this folder the user labelled inliers,
 * so that labelling what is normal here moves the verdict (issue #30). Without labelled inliers it
 * is the detector's own, and the tails are the engine's.
 */
export class SetCalibration {
  private inForce: DetectorCalibration | null;
  private inlierKey = '';
  private inlierCount = 0;

  constructor(private readonly detectorCalibration: DetectorCalibration | null) {
    this.inForce = detectorCalibration;
  }

  /** The calibration in force (null: the detector has none, and labels cannot make one). */
  get current(): DetectorCalibration | null {
    return this.inForce;
  }

  /** Images labelled inliers in the calibration now. */
  get labelledInliers(): number {
    return this.inlierCount;
  }

  /**
   * Takes the labelled inliers `slots` (their values read through `valuesOf`) into the calibration;
   * says whether it changed (then every image's tails must be taken again).
   */
  update(slots: readonly number[], valuesOf: (slot: number) => IndexedSignalValues): boolean {
    const base = this.detectorCalibration;
    const key = slots.join(',');
    if (!base || key === this.inlierKey) return false;
    this.inlierKey = key;
    this.inlierCount = slots.length;
    this.inForce = slots.length === 0
      ? base
      : calibrationWithInliers(base, slots.map(valuesOf), `${base.source} and ${slots.length} image${slots.length === 1 ? '' : 's'} labelled inliers in this folder`);
    return true;
  }

  /** The tail probabilities of an image's values against the calibration in force, for `signals`. */
  tailsOf(values: IndexedSignalValues, signals: readonly CalibratedSignal[]): ScoredImage['tailProbabilities'] {
    if (!this.inForce) return undefined;
    return Object.fromEntries(signalTails(values, this.inForce, signals).map((tail) => [tail.signal, tail.p]));
  }
}
