import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { registerWgslConv2dBackpropFilter } from './Conv2DBackpropFilter';
import { webgpuConcatEluConfig } from './OutlierLensConcatElu';
import { webgpuConcatEluGradConfig } from './OutlierLensConcatEluGrad';
import { webgpuDropoutMaskConfig } from './OutlierLensDropoutMask';
import { webgpuGateConfig } from './OutlierLensGate';
import { webgpuGateGradConfig } from './OutlierLensGateGrad';

/** Registers `config` unless its kernel is there already (starting a backend twice is harmless). */
function registerOnce(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) === undefined) {
    tf.registerKernel(config);
  }
}

/**
 * Outlier Lens's webgpu kernels: the WGSL filter gradient and the fused concat_elu and gate (each
 * way), where `ownKernels`; the dropout mask always, so that a seed gives the same mask everywhere.
 */
export function registerWebgpuKernels(ownKernels: boolean): void {
  if (ownKernels) {
    registerWgslConv2dBackpropFilter();
    for (const config of [webgpuConcatEluConfig, webgpuConcatEluGradConfig, webgpuGateConfig, webgpuGateGradConfig]) {
      registerOnce(config);
    }
  }
  registerOnce(webgpuDropoutMaskConfig);
}
