import type { ScoresByClass } from './scoresByClass';
import { sweepThresholds } from './thresholdSweep';

/**
 * Area under the ROC curve, outliers as positives: the chance that an outlier outscores an inlier,
 * a tie counting half (the Mann–Whitney statistic). Throws unless both classes are present.
 */
export function auroc(classes: ScoresByClass): number {
  const positives = classes.outlierScores.length;
  const negatives = classes.inlierScores.length;
  if (positives === 0 || negatives === 0) {
    throw new Error('AUROC needs both inliers and outliers');
  }
  // Twice the trapezoids' area in counts: whole numbers, so the result is exact up to the last division.
  let doubledWins = 0;
  let previousTruePositives = 0;
  let previousFalsePositives = 0;
  sweepThresholds(classes, (truePositives, falsePositives) => {
    doubledWins += (falsePositives - previousFalsePositives) * (truePositives + previousTruePositives);
    previousTruePositives = truePositives;
    previousFalsePositives = falsePositives;
  });
  return doubledWins / (2 * positives * negatives);
}
