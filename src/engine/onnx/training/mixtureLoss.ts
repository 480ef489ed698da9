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

/** The mixture head's outputs, each [N, ·, H, W] channels first, grouped as `mixtureHeadGroups` (component-major). */
export interface MixtureHead {
  /** [N, K, H, W]. */
  readonly logits: Value;
  /** [N, K·C, H, W]: component k's channel c at k·C + c. */
  readonly locs: Value;
  /** [N, K·C, H, W]. */
  readonly rawScales: Value;
  /** [N, K·C(C−1)/2, H, W], or null for gray. */
  readonly coeffs: Value | null;
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
 * Component locations after the within-pixel channel dependence, [N, K, C, H, W]: loc_c += Σ_{j<c}
 * coef · x_j, x on the [-1, 1] scale, coefficients in TensorFlow.js's order (conditionLocations).
 */
function conditionedLocations(ops: DifferentiableOps, locs: Value, coeffs: Value, unitPixels: Value): Value {
  const [batch, mixtures, channels, height, width] = locs.shape;
  const perChannel = ops.split(locs, new Array<number>(channels).fill(1), 2);
  const coefficients = ops.split(ops.reshape(coeffs, [batch, mixtures, coeffs.shape[1] / mixtures, height, width]), new Array<number>((channels * (channels - 1)) / 2).fill(1), 2);
  const earlier = Array.from({ length: channels }, (_, channel) => ops.slice(unitPixels, [2], [channel], [channel + 1]));
  let coefficient = 0;
  for (let channel = 1; channel < channels; channel++) {
    for (let previous = 0; previous < channel; previous++) {
      perChannel[channel] = ops.add(perChannel[channel], ops.mul(coefficients[coefficient++], earlier[previous]));
    }
  }
  return ops.concat(perChannel, 2);
}

/**
 * log P(x) of each pixel under the discretized logistic mixture, channels summed, [N, 1, H, W]:
 * the TensorFlow.js likelihood (`discretizedLogisticMixtureLogProb`) written as graph ops with the
 * same edge cases — the lowest value takes the left tail, the highest the right, the bounds clip
 * as there — so that its gradient is that likelihood's. `pixels` are the values low..high as
 * float32, [N, C, H, W].
 */
export function mixtureLogProb(ops: DifferentiableOps, head: MixtureHead, pixels: Value, range: PixelRange): Value {
  const [batch, channels, height, width] = pixels.shape;
  const mixtures = head.logits.shape[1];
  const halfRange = (range.high - range.low) / 2;
  const byComponent = (value: Value): Value => ops.reshape(value, [batch, mixtures, channels, height, width]);
  const x = ops.reshape(pixels, [batch, 1, channels, height, width]);
  let locs = byComponent(head.locs);
  if (channels > 1 && head.coeffs) {
    const unit = ops.sub(ops.mul(x, ops.scalar(2 / (range.high - range.low))), ops.scalar((2 * range.low) / (range.high - range.low) + 1));
    locs = conditionedLocations(ops, locs, head.coeffs, unit);
  }
  const scales = ops.add(ops.softplus(byComponent(head.rawScales)), ops.scalar(Math.exp(-7)));
  const unitLocations = ops.clip(locs, -MAX_LOCATION, MAX_LOCATION);
  const locations = ops.add(ops.mul(ops.add(unitLocations, ops.scalar(1)), ops.scalar(halfRange)), ops.scalar(range.low));
  const inverseScales = ops.reciprocal(ops.mul(ops.minScalar(scales, MAX_SCALE), ops.scalar(halfRange)));
  const centred = ops.sub(x, locations);
  const upper = ops.clip(ops.mul(ops.add(centred, ops.scalar(0.5)), inverseScales), -MAX_STANDARDISED, MAX_STANDARDISED);
  const lower = ops.clip(ops.mul(ops.sub(centred, ops.scalar(0.5)), inverseScales), -MAX_STANDARDISED, MAX_STANDARDISED);
  const logSigmoidUpper = ops.neg(ops.softplus(ops.neg(upper)));
  const logOneMinusSigmoidLower = ops.neg(ops.softplus(lower));
  const logOneMinusExp = ops.log(oneMinusExpNegative(ops, ops.maxScalar(inverseScales, MIN_BIN_WIDTH)));
  const interior = ops.add(ops.add(logSigmoidUpper, logOneMinusSigmoidLower), logOneMinusExp);
  const perChannel = ops.select(ops.equals(x, range.low), logSigmoidUpper, ops.select(ops.equals(x, range.high), logOneMinusSigmoidLower, interior));
  const perComponent = channels > 1 ? ops.sum(perChannel, [2], true) : perChannel;
  const logits = ops.reshape(head.logits, [batch, mixtures, 1, height, width]);
  const logWeights = ops.maxScalar(ops.sub(logits, ops.logSumExp(logits, 1)), MIN_LOG_WEIGHT);
  return ops.reshape(ops.logSumExp(ops.add(perComponent, logWeights), 1), [batch, 1, height, width]);
}

/** The mean over the batch of each image's negative log-likelihood (nats), from per-pixel log-probabilities [N, 1, H, W]. */
export function meanNegativeLogLikelihood(ops: DifferentiableOps, logProb: Value): Value {
  const total = ops.sum(logProb, [0, 1, 2, 3], false);
  return ops.mul(total, ops.scalar(-1 / logProb.shape[0]));
}
