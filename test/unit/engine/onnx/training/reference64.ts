import type { CausalKernel } from '../../../../../src/engine/pixelcnn/topology';

/**
 * Float64 references of the network's ops, written from their definitions (not from the graph
 * code), for finite differences. Feature maps are [N, C, H, W]; kernels [kh, kw, Cin, Cout].
 */

/** Output (i, j) reads rows stride·i + rowOffset + [0, kh) and columns stride·j + colOffset + [0, kw); outside is zero. */
export function conv64(x: Float64Array, xShape: readonly number[], kernel: Float64Array, bias: Float64Array, k: CausalKernel, kernelShape: readonly number[], stride: number): Float64Array {
  const [batch, , height, width] = xShape;
  const [kh, kw, cin, cout] = kernelShape;
  const outH = stride === 1 ? height : Math.ceil(height / 2);
  const outW = stride === 1 ? width : Math.ceil(width / 2);
  const y = new Float64Array(batch * cout * outH * outW);
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < cout; o++) {
      for (let i = 0; i < outH; i++) {
        for (let j = 0; j < outW; j++) {
          let sum = bias[o];
          for (let r = 0; r < kh; r++) {
            const row = stride * i + k.rowOffset + r;
            for (let c = 0; c < kw; c++) {
              const col = stride * j + k.colOffset + c;
              if (row < 0 || row >= height || col < 0 || col >= width) {
                continue;
              }
              for (let ci = 0; ci < cin; ci++) {
                sum += x[((n * cin + ci) * height + row) * width + col] * kernel[((r * kw + c) * cin + ci) * cout + o];
              }
            }
          }
          y[((n * cout + o) * outH + i) * outW + j] = sum;
        }
      }
    }
  }
  return y;
}

/** Input (i, j) adds the kernel into rows 2i + rowOffset + [0, kh) and columns 2j + colOffset + [0, kw) of an outH × outW map. */
export function convTranspose64(x: Float64Array, xShape: readonly number[], kernel: Float64Array, bias: Float64Array, k: CausalKernel, kernelShape: readonly number[], outH: number, outW: number): Float64Array {
  const [batch, , height, width] = xShape;
  const [kh, kw, cin, cout] = kernelShape;
  const y = new Float64Array(batch * cout * outH * outW);
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < cout; o++) {
      y.fill(bias[o], (n * cout + o) * outH * outW, (n * cout + o + 1) * outH * outW);
    }
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        for (let r = 0; r < kh; r++) {
          const row = 2 * i + k.rowOffset + r;
          for (let c = 0; c < kw; c++) {
            const col = 2 * j + k.colOffset + c;
            if (row < 0 || row >= outH || col < 0 || col >= outW) {
              continue;
            }
            for (let ci = 0; ci < cin; ci++) {
              const value = x[((n * cin + ci) * height + i) * width + j];
              for (let o = 0; o < cout; o++) {
                y[((n * cout + o) * outH + row) * outW + col] += value * kernel[((r * kw + c) * cin + ci) * cout + o];
              }
            }
          }
        }
      }
    }
  }
  return y;
}

function elu(value: number): number {
  return value > 0 ? value : Math.expm1(value);
}

/** [elu(x), elu(−x)] on channels. */
export function concatElu64(x: Float64Array, shape: readonly number[]): Float64Array {
  const [batch, channels, height, width] = shape;
  const plane = height * width;
  const y = new Float64Array(2 * x.length);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < plane; p++) {
        const value = x[(n * channels + c) * plane + p];
        y[(n * 2 * channels + c) * plane + p] = elu(value);
        y[(n * 2 * channels + channels + c) * plane + p] = elu(-value);
      }
    }
  }
  return y;
}

/** elu(x) element-wise. */
export function elu64(x: Float64Array): Float64Array {
  return x.map(elu);
}

/** x + value · σ(gate). */
export function gate64(x: Float64Array, value: Float64Array, gate: Float64Array): Float64Array {
  return x.map((item, index) => item + value[index] / (1 + Math.exp(-gate[index])));
}

const softplus = (value: number): number => (value > 0 ? value + Math.log1p(Math.exp(-value)) : Math.log1p(Math.exp(value)));
const clip = (value: number, bound: number): number => Math.min(bound, Math.max(-bound, value));

/**
 * log P(x) per pixel of a discretized logistic mixture, channels summed, [N, H, W], from logits
 * [N, K, H, W], locations and raw scales [N, K·C, H, W] (component-major), coefficients
 * [N, K·C(C−1)/2, H, W] (RGB) and pixel values [N, C, H, W] in low..high: the likelihood's
 * definition — channel c's location moved by Σ_{j<c} coef · x_j on the [-1, 1] scale, the left
 * tail at low, the right tail at high — with its bounds.
 */
export function mixtureLogProb64(
  head: { logits: Float64Array; locs: Float64Array; rawScales: Float64Array; coeffs: Float64Array | null },
  pixels: Float64Array,
  shape: { batch: number; mixtures: number; channels: number; height: number; width: number },
  low: number,
  high: number,
): Float64Array {
  const { batch, mixtures, channels, height, width } = shape;
  const plane = height * width;
  const halfRange = (high - low) / 2;
  const pairs = (channels * (channels - 1)) / 2;
  const result = new Float64Array(batch * plane);
  for (let n = 0; n < batch; n++) {
    for (let p = 0; p < plane; p++) {
      const value = (channel: number): number => pixels[(n * channels + channel) * plane + p];
      const logit = (k: number): number => head.logits[(n * mixtures + k) * plane + p];
      const logitMax = Math.max(...Array.from({ length: mixtures }, (_, k) => logit(k)));
      const logNorm = logitMax + Math.log(Array.from({ length: mixtures }, (_, k) => Math.exp(logit(k) - logitMax)).reduce((a, b) => a + b));
      const terms = Array.from({ length: mixtures }, (_, k) => {
        let sum = 0;
        let coefficient = 0;
        for (let c = 0; c < channels; c++) {
          let unitLocation = head.locs[(n * mixtures * channels + k * channels + c) * plane + p];
          for (let j = 0; j < c; j++) {
            unitLocation += (head.coeffs as Float64Array)[(n * mixtures * pairs + k * pairs + coefficient++) * plane + p] * ((value(j) - low) / halfRange - 1);
          }
          const x = value(c);
          const location = (clip(unitLocation, 1e30) + 1) * halfRange + low;
          const scale = Math.min(softplus(head.rawScales[(n * mixtures * channels + k * channels + c) * plane + p]) + Math.exp(-7), 1e30) * halfRange;
          const inverse = 1 / scale;
          const centred = x - location;
          const upper = clip((centred + 0.5) * inverse, 1e15);
          const lower = clip((centred - 0.5) * inverse, 1e15);
          const logSigmoidUpper = -softplus(-upper);
          const logOneMinusSigmoidLower = -softplus(lower);
          const interior = logSigmoidUpper + logOneMinusSigmoidLower + Math.log(-Math.expm1(-Math.max(inverse, 1e-30)));
          sum += x === low ? logSigmoidUpper : x === high ? logOneMinusSigmoidLower : interior;
        }
        return sum + Math.max(logit(k) - logNorm, -1e30);
      });
      const termMax = Math.max(...terms);
      result[n * plane + p] = termMax + Math.log(terms.map((term) => Math.exp(term - termMax)).reduce((a, b) => a + b));
    }
  }
  return result;
}
