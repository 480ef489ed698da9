import { sortScoresAscending } from '../../src/common/metrics/scoreOrder';
import type { ScoresSnapshot } from '../../src/protocol/webview';
import { LABEL_CODE } from '../../src/protocol/webview';
import { computeHistogramBins, type HistogramBins } from '../scores/histogramBins';
import { GroundTruth } from '../scores/groundTruth';
import { ScoreIndex } from '../scores/scoreIndex';

/** Bins of the score histogram: fine enough to place a threshold, coarse enough to read. */
const HISTOGRAM_BIN_COUNT = 80;

/** Everything derived from one ScoresSnapshot, computed once when it arrives. */
export interface ScanModel {
  readonly snapshot: ScoresSnapshot;
  readonly index: ScoreIndex;
  readonly histogram: HistogramBins;
  /** Present only when both inliers and outliers are labelled. */
  readonly groundTruth?: GroundTruth;
  /** Scores of the images labelled as inliers, ascending; present when at least one is (the FPR threshold needs only these). */
  readonly knownInliers?: Float64Array;
}

/** Sort, bin and (with labels) sweep the scores of a snapshot. */
export function buildScanModel(snapshot: ScoresSnapshot): ScanModel {
  return {
    snapshot,
    index: ScoreIndex.fromScores(snapshot.scores),
    histogram: computeHistogramBins(snapshot.scores, snapshot.labels, HISTOGRAM_BIN_COUNT),
    groundTruth: GroundTruth.fromLabels(snapshot.scores, snapshot.labels),
    knownInliers: knownInlierScores(snapshot.scores, snapshot.labels),
  };
}

function knownInlierScores(scores: Float32Array, labels: Uint8Array | undefined): Float64Array | undefined {
  if (!labels || labels.length !== scores.length) return undefined;
  const inliers = sortScoresAscending(scores.filter((_score, i) => labels[i] === LABEL_CODE.inlier));
  return inliers.length > 0 ? inliers : undefined;
}
