/** Scores with ground truth: `isOutlier[i]` says whether item i is really an outlier. */
export interface LabelledScores {
  readonly scores: ArrayLike<number>;
  readonly isOutlier: ArrayLike<boolean | number>;
}

/** Quality of a hard decision at one threshold (outlier when score > threshold). */
export interface ThresholdMetrics {
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly accuracy: number;
}

/** Area under the ROC curve, ties counted as half (the Mann–Whitney statistic); higher score = outlier. */
export function auroc({ scores, isOutlier }: LabelledScores): number {
  const order = sortedIndices(scores);
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < scores.length; i++) {
    if (isOutlier[i]) {
      positives++;
    } else {
      negatives++;
    }
  }
  if (positives === 0 || negatives === 0) {
    throw new Error('AUROC needs both inliers and outliers');
  }
  // Sum of the ranks of the positives, with tied scores sharing their mean rank.
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) {
      end++;
    }
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (isOutlier[order[k]]) {
        rankSum += meanRank;
      }
    }
    start = end + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Area under the precision–recall curve as average precision (scikit-learn's definition). */
export function auprc({ scores, isOutlier }: LabelledScores): number {
  const order = sortedIndices(scores).reverse();
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    positives += isOutlier[i] ? 1 : 0;
  }
  if (positives === 0) {
    throw new Error('AUPRC needs at least one outlier');
  }
  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let area = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) {
      end++;
    }
    for (let k = start; k <= end; k++) {
      truePositives += isOutlier[order[k]] ? 1 : 0;
    }
    seen = end + 1;
    const recall = truePositives / positives;
    area += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
    start = end + 1;
  }
  return area;
}

/** Confusion counts, precision, recall, F1 and accuracy when `score > threshold` means outlier. */
export function metricsAtThreshold({ scores, isOutlier }: LabelledScores, threshold: number): ThresholdMetrics {
  let truePositives = 0;
  let falsePositives = 0;
  let trueNegatives = 0;
  let falseNegatives = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i] > threshold;
    if (predicted && isOutlier[i]) truePositives++;
    else if (predicted) falsePositives++;
    else if (isOutlier[i]) falseNegatives++;
    else trueNegatives++;
  }
  const precision = truePositives + falsePositives > 0 ? truePositives / (truePositives + falsePositives) : 0;
  const recall = truePositives + falseNegatives > 0 ? truePositives / (truePositives + falseNegatives) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const accuracy = scores.length > 0 ? (truePositives + trueNegatives) / scores.length : 0;
  return { threshold, truePositives, falsePositives, trueNegatives, falseNegatives, precision, recall, f1, accuracy };
}

function sortedIndices(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
}
