import { countNotAbove } from './scoreOrder';
import type { ScoresByClass } from './scoresByClass';

/** Confusion counts and the usual rates at one threshold (outlier ⇔ score > threshold); a rate with nothing to divide by is 0. */
export interface ThresholdQuality {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly falsePositiveRate: number;
  readonly f1: number;
  readonly accuracy: number;
}

/** Quality of calling every score above `threshold` an outlier: two binary searches, cheap enough for every slider move. */
export function qualityAt(classes: ScoresByClass, threshold: number): ThresholdQuality {
  const positives = classes.outlierScores.length;
  const negatives = classes.inlierScores.length;
  const falseNegatives = countNotAbove(classes.outlierScores, threshold);
  const trueNegatives = countNotAbove(classes.inlierScores, threshold);
  const truePositives = positives - falseNegatives;
  const falsePositives = negatives - trueNegatives;
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, positives);
  return {
    truePositives,
    falsePositives,
    trueNegatives,
    falseNegatives,
    precision,
    recall,
    falsePositiveRate: ratio(falsePositives, negatives),
    f1: ratio(2 * precision * recall, precision + recall),
    accuracy: ratio(truePositives + trueNegatives, positives + negatives),
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}
