import type { ScoresSnapshot } from '../../src/protocol/webview';
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
}

/** Sort, bin and (with labels) sweep the scores of a snapshot. */
export function buildScanModel(snapshot: ScoresSnapshot): ScanModel {
  return {
    snapshot,
    index: ScoreIndex.fromScores(snapshot.scores),
    histogram: computeHistogramBins(snapshot.scores, snapshot.labels, HISTOGRAM_BIN_COUNT),
    groundTruth: GroundTruth.fromLabels(snapshot.scores, snapshot.labels),
  };
}
