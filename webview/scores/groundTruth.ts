import { LABEL_CODE } from '../../src/protocol/webview';
import { upperBound } from './scoreIndex';

/** Confusion counts and the usual rates at one threshold (outlier ⇔ score > threshold). */
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

/** A curve for plotting: x ascending, at most a few thousand points. */
export interface Curve {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/**
 * Scores split by ground truth and sorted, with ROC/PR computed once; metrics at a threshold
 * are two binary searches, cheap enough for every slider move.
 */
export class GroundTruth {
  private constructor(
    /** Ascending scores of images labelled inlier (the negatives). */
    readonly inlierScores: Float32Array,
    /** Ascending scores of images labelled outlier (the positives). */
    readonly outlierScores: Float32Array,
    readonly auroc: number,
    /** Average precision (scikit-learn's definition, as the engine's metrics). */
    readonly auprc: number,
    readonly roc: Curve,
    readonly precisionRecall: Curve,
  ) {}

  /** Both classes must be present for ROC/PR to mean anything; otherwise there is no ground truth to show. */
  static fromLabels(scores: Float32Array, labels: Uint8Array | undefined): GroundTruth | undefined {
    if (!labels || labels.length !== scores.length) {
      return undefined;
    }
    const inliers: number[] = [];
    const outliers: number[] = [];
    for (let i = 0; i < scores.length; i++) {
      if (labels[i] === LABEL_CODE.inlier) inliers.push(scores[i]);
      else if (labels[i] === LABEL_CODE.outlier) outliers.push(scores[i]);
    }
    if (inliers.length === 0 || outliers.length === 0) {
      return undefined;
    }
    const inlierScores = Float32Array.from(inliers).sort();
    const outlierScores = Float32Array.from(outliers).sort();
    const sweep = sweepDescending(inlierScores, outlierScores);
    return new GroundTruth(inlierScores, outlierScores, sweep.auroc, sweep.auprc, sweep.roc, sweep.precisionRecall);
  }

  /** Confusion counts and rates when images scoring above `threshold` are called outliers. */
  qualityAt(threshold: number): ThresholdQuality {
    const positives = this.outlierScores.length;
    const negatives = this.inlierScores.length;
    const truePositives = positives - upperBound(this.outlierScores, threshold);
    const falsePositives = negatives - upperBound(this.inlierScores, threshold);
    const falseNegatives = positives - truePositives;
    const trueNegatives = negatives - falsePositives;
    const predicted = truePositives + falsePositives;
    const precision = predicted > 0 ? truePositives / predicted : 0;
    const recall = truePositives / positives;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return {
      truePositives,
      falsePositives,
      trueNegatives,
      falseNegatives,
      precision,
      recall,
      falsePositiveRate: falsePositives / negatives,
      f1,
      accuracy: (truePositives + trueNegatives) / (positives + negatives),
    };
  }
}

const MAX_CURVE_POINTS = 2000;

interface Sweep {
  readonly auroc: number;
  readonly auprc: number;
  readonly roc: Curve;
  readonly precisionRecall: Curve;
}

/**
 * Lower the threshold from the top score down, one group of tied scores at a time (ties move
 * together, so AUROC counts them as half, like the Mann–Whitney statistic).
 */
function sweepDescending(inlierScores: Float32Array, outlierScores: Float32Array): Sweep {
  const positives = outlierScores.length;
  const negatives = inlierScores.length;
  let inlierCursor = negatives - 1;
  let outlierCursor = positives - 1;
  let truePositives = 0;
  let falsePositives = 0;
  let auroc = 0;
  let auprc = 0;
  const fprs: number[] = [0];
  const tprs: number[] = [0];
  const recalls: number[] = [];
  const precisions: number[] = [];
  while (inlierCursor >= 0 || outlierCursor >= 0) {
    const nextInlier = inlierCursor >= 0 ? inlierScores[inlierCursor] : -Infinity;
    const nextOutlier = outlierCursor >= 0 ? outlierScores[outlierCursor] : -Infinity;
    const groupScore = Math.max(nextInlier, nextOutlier);
    const previousFpr = falsePositives / negatives;
    const previousTpr = truePositives / positives;
    while (inlierCursor >= 0 && inlierScores[inlierCursor] === groupScore) {
      falsePositives++;
      inlierCursor--;
    }
    while (outlierCursor >= 0 && outlierScores[outlierCursor] === groupScore) {
      truePositives++;
      outlierCursor--;
    }
    const fpr = falsePositives / negatives;
    const tpr = truePositives / positives;
    auroc += ((fpr - previousFpr) * (tpr + previousTpr)) / 2;
    auprc += (tpr - previousTpr) * (truePositives / (truePositives + falsePositives));
    fprs.push(fpr);
    tprs.push(tpr);
    recalls.push(tpr);
    precisions.push(truePositives / (truePositives + falsePositives));
  }
  return {
    auroc,
    auprc,
    roc: thin(fprs, tprs),
    precisionRecall: thin(recalls, precisions),
  };
}

/** Keep at most MAX_CURVE_POINTS evenly spaced points (and the last): the chart cannot show more. */
function thin(x: readonly number[], y: readonly number[]): Curve {
  const stride = Math.max(1, Math.ceil(x.length / MAX_CURVE_POINTS));
  const kept = Math.ceil(x.length / stride) + 1;
  const thinX = new Float64Array(kept);
  const thinY = new Float64Array(kept);
  let k = 0;
  for (let i = 0; i < x.length; i += stride) {
    thinX[k] = x[i];
    thinY[k] = y[i];
    k++;
  }
  thinX[k] = x[x.length - 1];
  thinY[k] = y[y.length - 1];
  return { x: thinX.subarray(0, k + 1), y: thinY.subarray(0, k + 1) };
}
