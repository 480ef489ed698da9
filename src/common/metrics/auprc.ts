import type { ScoresByClass } from './scoresByClass';
import { sweepThresholds } from './thresholdSweep';

/**
 * Area under the precision–recall curve as average precision (scikit-learn's definition): the
 * precision after each group of tied scores, weighted by the recall it adds. Throws without outliers.
 */
export function auprc(classes: ScoresByClass): number {
  const positives = classes.outlierScores.length;
  if (positives === 0) {
    throw new Error('AUPRC needs at least one outlier');
  }
  let area = 0;
  let previousTruePositives = 0;
  sweepThresholds(classes, (truePositives, falsePositives) => {
    area += (truePositives - previousTruePositives) * (truePositives / (truePositives + falsePositives));
    previousTruePositives = truePositives;
  });
  return area / positives;
}
