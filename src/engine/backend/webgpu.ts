import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { registerWebgpuKernels } from './kernels/webgpu/register';
import { BackendUnavailableError, TFJS_KERNELS_NOTE, usesOwnKernels } from './types';

interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}
interface AdapterInfoLike { vendor?: string; architecture?: string; device?: string; description?: string }
interface AdapterLike { info?: AdapterInfoLike }
interface GpuLike { requestAdapter(options?: unknown): Promise<AdapterLike | null> }

/** Where dawn.node lives: beside a bundle (the GPU recipe), or inside the `webgpu` npm package. */
function findDawnNode(): string {
  const platformDir = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
  const candidates = [path.join(__dirname, 'dawn.node')];
  try {
    const packageDir = path.dirname(require.resolve('webgpu/package.json'));
    candidates.push(path.join(packageDir, 'dist', platformDir, 'dawn.node'));
  } catch {
    // The package is missing; the error below names what was looked for.
  }
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new BackendUnavailableError('webgpu', `no Dawn binary (dawn.node) for ${platformDir}; install the npm package 'webgpu'`);
  }
  return found;
}

/** Folders where a Linux Vulkan loader is usually found. */
const LINUX_LIBRARY_FOLDERS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib', '/lib/x86_64-linux-gnu'];

/**
 * On Linux Dawn reaches the GPU through Vulkan; without the loader it only prints a warning and
 * finds no adapter. Looking first keeps that noise out of every CPU-only run.
 */
function hasVulkanLoader(): boolean {
  if (process.platform !== 'linux') {
    return true;
  }
  const folders = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LINUX_LIBRARY_FOLDERS];
  return folders.some((folder) => fs.existsSync(path.join(folder, 'libvulkan.so.1')));
}

/**
 * Starts tfjs-backend-webgpu on Dawn. Dawn's `navigator.gpu` must exist before the backend module
 * loads, or the module never registers its backend. Our kernels (kernels/webgpu/): the filter
 * gradient as one WGSL matrix product, concat_elu and the resnet gate as one kernel each way, and
 * dropout masks drawn on the GPU.
 */
export async function startWebgpu(): Promise<string> {
  if (!hasVulkanLoader()) {
    throw new BackendUnavailableError('webgpu', 'no Vulkan loader (libvulkan.so.1) found; install libvulkan1 and a GPU driver');
  }
  const dawn = require(findDawnNode()) as DawnModule;
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new BackendUnavailableError('webgpu', 'Dawn found no GPU adapter (no Vulkan, Metal or D3D12 device, or no driver/loader)');
  }
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  require('@tensorflow/tfjs-backend-webgpu');
  const ownKernels = usesOwnKernels();
  registerWebgpuKernels(ownKernels);
  if (!(await tf.setBackend('webgpu'))) {
    throw new BackendUnavailableError('webgpu', 'tfjs-backend-webgpu did not initialise on the adapter');
  }
  const info = adapter.info ?? {};
  const name = [info.vendor, info.device || info.description || info.architecture].filter(Boolean).join(' ');
  return `webgpu: ${name || 'GPU adapter'}${ownKernels ? '' : TFJS_KERNELS_NOTE}`;
}
