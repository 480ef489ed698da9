import type { PixelRange } from '../../pixelcnn/likelihood';
import type { DifferentiableOps } from './differentiableOps';
import type { Value } from './tape';

/** The bounds of the TensorFlow.js likelihood (likelihood.ts), which keep every intermediate finite. */
const MAX_LOCATION = 1e30;
const MAX_SCALE = 1e30;
const MIN_BIN_WIDTH = 1e-30;
const MAX_STANDARDISED = 1e15;
const MIN_LOG_WEIGHT = -1e30;
/** Below this bin width, 1 − e^−w is taken from its series: float32's e^−w − 1 loses digits to cancellation there. */
const SERIES_BELOW = 1e-2;

/** The mixture head's outputs of a gray model, each [N, K, H, W]. */
export interface GrayMixtureHead {
  readonly logits: Value;
  readonly locs: Value;
  readonly rawScales: Value;
}

/**
 * 1 − e^−w for w > 0, to float32's precision throughout: the series w(1 − w/2(1 − w/3(1 − w/4)))
 * below {@link SERIES_BELOW} (relative error under 1e-10 there), 1 − e^−w above (as TensorFlow.js's −expm1(−w)).
 */
function oneMinusExpNegative(ops: DifferentiableOps, w: Value): Value {
  const term = (divisor: number, inner: Value): Value => ops.sub(ops.scalar(1), ops.mul(ops.mul(w, ops.scalar(1 / divisor)), inner));
  const series = ops.mul(w, term(2, term(3, term(4, ops.scalar(1)))));
  const direct = ops.sub(ops.scalar(1), ops.exp(ops.neg(w)));
  return ops.select(ops.lessThan(w, SERIES_BELOW), series, direct);
}

/**
 * log P(x) of each pixel of a gray image under the discretized logistic mixture, [N, 1, H, W]:
 * the TensorFlow.js likelihood (`discretizedLogisticMixtureLogProb`) written as graph ops with the
 * same edge cases — the lowest value takes the left tail, the highest the right, the bounds clip
 * as there — so that its gradient is that likelihood's. `pixels` are the values low..high as float32, [N, 1, H, W].
 */
export function grayMixtureLogProb(ops: DifferentiableOps, head: GrayMixtureHead, pixels: Value, range: PixelRange): Value {
  const halfRange = (range.high - range.low) / 2;
  const scales = ops.add(ops.softplus(head.rawScales), ops.scalar(Math.exp(-7)));
  const unitLocations = ops.clip(head.locs, -MAX_LOCATION, MAX_LOCATION);
  const locations = ops.add(ops.mul(ops.add(unitLocations, ops.scalar(1)), ops.scalar(halfRange)), ops.scalar(range.low));
  const inverseScales = ops.reciprocal(ops.mul(ops.minScalar(scales, MAX_SCALE), ops.scalar(halfRange)));
  const centred = ops.sub(pixels, locations);
  const upper = ops.clip(ops.mul(ops.add(centred, ops.scalar(0.5)), inverseScales), -MAX_STANDARDISED, MAX_STANDARDISED);
  const lower = ops.clip(ops.mul(ops.sub(centred, ops.scalar(0.5)), inverseScales), -MAX_STANDARDISED, MAX_STANDARDISED);
  const logSigmoidUpper = ops.neg(ops.softplus(ops.neg(upper)));
  const logOneMinusSigmoidLower = ops.neg(ops.softplus(lower));
  const logOneMinusExp = ops.log(oneMinusExpNegative(ops, ops.maxScalar(inverseScales, MIN_BIN_WIDTH)));
  const interior = ops.add(ops.add(logSigmoidUpper, logOneMinusSigmoidLower), logOneMinusExp);
  const perComponent = ops.select(ops.equals(pixels, range.low), logSigmoidUpper, ops.select(ops.equals(pixels, range.high), logOneMinusSigmoidLower, interior));
  const logWeights = ops.maxScalar(ops.sub(head.logits, ops.logSumExp(head.logits, 1)), MIN_LOG_WEIGHT);
  return ops.logSumExp(ops.add(perComponent, logWeights), 1);
}

/** The mean over the batch of each image's negative log-likelihood (nats), from per-pixel log-probabilities [N, 1, H, W]. */
export function meanNegativeLogLikelihood(ops: DifferentiableOps, logProb: Value): Value {
  const total = ops.sum(logProb, [0, 1, 2, 3], false);
  return ops.mul(total, ops.scalar(-1 / logProb.shape[0]));
}
