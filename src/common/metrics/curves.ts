import type { ScoresByClass } from './scoresByClass';
import { sweepThresholds } from './thresholdSweep';

/** A curve as parallel x and y arrays, one point per threshold between tie groups. */
export interface Curve {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** The ROC curve, false-positive rate (x) against true-positive rate (y), from (0, 0) to (1, 1); needs both classes. */
export function rocCurve(classes: ScoresByClass): Curve {
  const positives = classes.outlierScores.length;
  const negatives = classes.inlierScores.length;
  const falsePositiveRates = [0];
  const truePositiveRates = [0];
  sweepThresholds(classes, (truePositives, falsePositives) => {
    falsePositiveRates.push(falsePositives / negatives);
    truePositiveRates.push(truePositives / positives);
  });
  return { x: Float64Array.from(falsePositiveRates), y: Float64Array.from(truePositiveRates) };
}

/** The precision–recall curve, recall (x) against precision (y), a point per tie group from the top score down; needs outliers. */
export function precisionRecallCurve(classes: ScoresByClass): Curve {
  const positives = classes.outlierScores.length;
  const recalls: number[] = [];
  const precisions: number[] = [];
  sweepThresholds(classes, (truePositives, falsePositives) => {
    recalls.push(truePositives / positives);
    precisions.push(truePositives / (truePositives + falsePositives));
  });
  return { x: Float64Array.from(recalls), y: Float64Array.from(precisions) };
}
