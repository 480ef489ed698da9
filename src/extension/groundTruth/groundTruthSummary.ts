import { auroc } from '../../common/metrics/auroc';
import { splitByClass } from '../../common/metrics/scoresByClass';
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
 * as `ResultSet.scores()` and `labelCodes()` give them. Scores in order cost no sort, so the side
 * view and the scan's closing message can afford it on every update. The panel's ROC tab computes
 * the same AUROC with the same code.
 */
export function summariseGroundTruth(scores: Float32Array, labels: Uint8Array): GroundTruthSummary {
  const classes = splitByClass(scores, (i) => (labels[i] === LABEL_CODE.outlier ? true : labels[i] === LABEL_CODE.inlier ? false : undefined));
  const inliers = classes.inlierScores.length;
  const outliers = classes.outlierScores.length;
  return { inliers, outliers, auroc: inliers > 0 && outliers > 0 ? auroc(classes) : null };
}
