import * as tf from '@tensorflow/tfjs-core';

/** Multiply-add work of one kernel call, from the shapes tf.profile records (other kernels count 0). */
function kernelFlops(name: string, inputShapes: number[][], outputShapes: number[][]): number {
  const size = (shape: number[] | undefined): number => (shape ?? []).reduce((product, dim) => product * dim, 1);
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      const [kernelHeight, kernelWidth, inChannels] = inputShapes[1];
      return 2 * size(outputShapes[0]) * kernelHeight * kernelWidth * inChannels;
    }
    case 'Conv2DBackpropInput': {
      // Inputs (dy, filter): every dy value meets every tap and input channel once.
      const [kernelHeight, kernelWidth, inChannels] = inputShapes[1];
      return 2 * size(inputShapes[0]) * kernelHeight * kernelWidth * inChannels;
    }
    case 'Conv2DBackpropFilter': {
      const [, , , inChannels] = inputShapes[0];
      const filterTaps = size(outputShapes[0]) / (inChannels * (outputShapes[0][3] ?? 1));
      return 2 * size(inputShapes[1]) * filterTaps * inChannels;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const a = inputShapes[0];
      const out = outputShapes[0];
      const inner = a[a.length - 1] === out[out.length - 2] ? a[a.length - 2] : a[a.length - 1];
      return 2 * size(out) * inner;
    }
    default:
      return 0;
  }
}

/** Floating-point operations (2 per multiply-add) of the convolutions and products that `run` executes once. */
export async function measureFlops(run: () => tf.TensorContainer): Promise<{ flops: number; peakBytes: number }> {
  const info = await tf.profile(() => {
    const result = run();
    return result as tf.Tensor;
  });
  let flops = 0;
  for (const kernel of info.kernels) {
    flops += kernelFlops(kernel.name, kernel.inputShapes as number[][], kernel.outputShapes as number[][]);
  }
  return { flops, peakBytes: info.peakBytes };
}
