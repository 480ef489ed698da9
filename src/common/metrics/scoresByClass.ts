/** Ground truth of item `index`: true for an outlier (a positive), false for an inlier, undefined when unknown. */
export type GroundTruthOf = (index: number) => boolean | undefined;

/**
 * Labelled scores split by class, each sorted ascending: what every detection metric reads.
 * NaN scores are stored as -Infinity: below every number, tied with each other, never above a threshold.
 */
export interface ScoresByClass {
  /** Ascending scores of the items labelled inlier (the negatives). */
  readonly inlierScores: Float64Array;
  /** Ascending scores of the items labelled outlier (the positives). */
  readonly outlierScores: Float64Array;
}

/**
 * Split `scores` by `groundTruthOf` (unknown items are left out) and sort each class once. Scores
 * that come in score order, either way, cost no sort (the host keeps them highest first).
 */
export function splitByClass(scores: ArrayLike<number>, groundTruthOf: GroundTruthOf): ScoresByClass {
  let inliers = 0;
  let outliers = 0;
  for (let i = 0; i < scores.length; i++) {
    const isOutlier = groundTruthOf(i);
    if (isOutlier === true) outliers++;
    else if (isOutlier === false) inliers++;
  }
  const inlierScores = new Float64Array(inliers);
  const outlierScores = new Float64Array(outliers);
  inliers = 0;
  outliers = 0;
  for (let i = 0; i < scores.length; i++) {
    const isOutlier = groundTruthOf(i);
    const score = Number.isNaN(scores[i]) ? -Infinity : scores[i];
    if (isOutlier === true) outlierScores[outliers++] = score;
    else if (isOutlier === false) inlierScores[inliers++] = score;
  }
  return { inlierScores: sortInPlace(inlierScores), outlierScores: sortInPlace(outlierScores) };
}

/** Ascending order in O(n) when the scores already come sorted either way, else a sort. */
function sortInPlace(scores: Float64Array): Float64Array {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < scores.length && (ascending || descending); i++) {
    if (scores[i] < scores[i - 1]) ascending = false;
    if (scores[i] > scores[i - 1]) descending = false;
  }
  if (ascending) return scores;
  return descending ? scores.reverse() : scores.sort();
}
