import { LABEL_CODE } from '../../src/protocol/webview';

/** Score histogram computed once per snapshot; the threshold line moves over it without recounting. */
export interface HistogramBins {
  /** Centre of each bin (the chart's x values). */
  readonly centres: Float64Array;
  readonly binWidth: number;
  /** Images per bin, all of them. */
  readonly all: Float64Array;
  /** Images per bin with ground truth inlier / outlier (present when labels are known). */
  readonly labelledInliers?: Float64Array;
  readonly labelledOutliers?: Float64Array;
}

/** Bin `scores` into `binCount` equal bins from min to max, splitting by label when labels are given. */
export function computeHistogramBins(scores: Float32Array, labels: Uint8Array | undefined, binCount: number): HistogramBins {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (score < min) min = score;
    if (score > max) max = score;
  }
  if (scores.length === 0) {
    min = 0;
    max = 1;
  }
  // A degenerate range (all scores equal) still needs a visible bar.
  const span = max > min ? max - min : 1;
  const binWidth = span / binCount;
  const centres = new Float64Array(binCount);
  for (let bin = 0; bin < binCount; bin++) {
    centres[bin] = min + (bin + 0.5) * binWidth;
  }
  const all = new Float64Array(binCount);
  const labelledInliers = labels ? new Float64Array(binCount) : undefined;
  const labelledOutliers = labels ? new Float64Array(binCount) : undefined;
  for (let i = 0; i < scores.length; i++) {
    const bin = Math.min(binCount - 1, Math.floor((scores[i] - min) / binWidth));
    all[bin]++;
    if (labels && labelledInliers && labelledOutliers) {
      if (labels[i] === LABEL_CODE.inlier) labelledInliers[bin]++;
      else if (labels[i] === LABEL_CODE.outlier) labelledOutliers[bin]++;
    }
  }
  return { centres, binWidth, all, labelledInliers, labelledOutliers };
}
