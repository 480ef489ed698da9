import { auprc } from '../../src/common/metrics/auprc';
import { auroc } from '../../src/common/metrics/auroc';
import type { Curve } from '../../src/common/metrics/curves';
import { precisionRecallCurve, rocCurve } from '../../src/common/metrics/curves';
import type { ScoresByClass } from '../../src/common/metrics/scoresByClass';
import { splitByClass } from '../../src/common/metrics/scoresByClass';
import type { ThresholdQuality } from '../../src/common/metrics/thresholdQuality';
import { qualityAt } from '../../src/common/metrics/thresholdQuality';
import { LABEL_CODE } from '../../src/protocol/webview';

/**
 * Scores split by ground truth and sorted, with ROC/PR computed once; metrics at a threshold
 * are two binary searches, cheap enough for every slider move.
 */
export class GroundTruth {
  private constructor(
    /** The labelled scores by class, each sorted ascending. */
    readonly classes: ScoresByClass,
    readonly auroc: number,
    /** Average precision (scikit-learn's definition, as the engine's benchmark reports it). */
    readonly auprc: number,
    readonly roc: Curve,
    readonly precisionRecall: Curve,
  ) {}

  /** Both classes must be present for ROC/PR to mean anything; otherwise there is no ground truth to show. */
  static fromLabels(scores: Float32Array, labels: Uint8Array | undefined): GroundTruth | undefined {
    if (!labels || labels.length !== scores.length) {
      return undefined;
    }
    const classes = splitByClass(scores, (i) => (labels[i] === LABEL_CODE.outlier ? true : labels[i] === LABEL_CODE.inlier ? false : undefined));
    if (classes.inlierScores.length === 0 || classes.outlierScores.length === 0) {
      return undefined;
    }
    return new GroundTruth(classes, auroc(classes), auprc(classes), thin(rocCurve(classes)), thin(precisionRecallCurve(classes)));
  }

  /** Confusion counts and rates when images scoring above `threshold` are called outliers. */
  qualityAt(threshold: number): ThresholdQuality {
    return qualityAt(this.classes, threshold);
  }
}

const MAX_CURVE_POINTS = 2000;

/** Keep at most MAX_CURVE_POINTS evenly spaced points (and the last): the chart cannot show more. */
function thin({ x, y }: Curve): Curve {
  const stride = Math.max(1, Math.ceil(x.length / MAX_CURVE_POINTS));
  if (stride === 1) {
    return { x, y };
  }
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
