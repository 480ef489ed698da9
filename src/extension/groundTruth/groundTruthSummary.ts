import { LABEL_CODE } from '../../protocol/webview';

/** How many results are labelled each way, and how well the scores separate them. */
export interface GroundTruthSummary {
  readonly inliers: number;
  readonly outliers: number;
  /** Area under the ROC curve (outliers as positives, ties count half); null without both classes. */
  readonly auroc: number | null;
}

/**
 * Counts and AUROC of `labels` (LABEL_CODE) against `scores`, both in score order, highest first,
 * as `ResultSet.scores()` and `labelCodes()` give them. One pass, no sort: the side view and the
 * scan's closing message can afford it on every update. The panel's ROC tab computes the same AUROC.
 */
export function summariseGroundTruth(scores: Float32Array, labels: Uint8Array): GroundTruthSummary {
  let inliers = 0;
  let outliers = 0;
  for (const label of labels) {
    if (label === LABEL_CODE.inlier) inliers++;
    else if (label === LABEL_CODE.outlier) outliers++;
  }
  if (inliers === 0 || outliers === 0) return { inliers, outliers, auroc: null };
  // Walk tie groups from the top score down: an outlier beats every inlier below its group, and half of those tied with it.
  let inliersAbove = 0;
  let wins = 0;
  for (let start = 0; start < scores.length;) {
    let end = start;
    let groupInliers = 0;
    let groupOutliers = 0;
    while (end < scores.length && scores[end] === scores[start]) {
      if (labels[end] === LABEL_CODE.inlier) groupInliers++;
      else if (labels[end] === LABEL_CODE.outlier) groupOutliers++;
      end++;
    }
    wins += groupOutliers * (inliers - inliersAbove - groupInliers) + 0.5 * groupOutliers * groupInliers;
    inliersAbove += groupInliers;
    start = end;
  }
  return { inliers, outliers, auroc: wins / (inliers * outliers) };
}
