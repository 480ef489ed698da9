const GIB = 2 ** 30;

/**
 * Tensor memory one scoring pass may fill, by backend. wasm's heap is 4 GiB in all (and the two
 * models' weights and the image data share it); WebGPU tells nothing of a GPU's memory, so a size
 * most discrete GPUs hold. Unknown backends get the smallest.
 */
const SCORING_BUDGET_BYTES: Readonly<Record<string, number>> = { wasm: 1 * GIB, cpu: 2 * GIB, webgpu: 4 * GIB, tensorflow: 4 * GIB };

/**
 * Batches past these gained nothing measured: a CPU backend is as fast at 32 as at 64 images
 * (bench:model); on an H200 the seed model scored 2,018 img/s at batch 500, its forward pass ran
 * 6x faster at batch 256 than at 32.
 */
const LARGEST_BATCH: Readonly<Record<string, number>> = { wasm: 64, cpu: 64, webgpu: 512, tensorflow: 512 };

/**
 * The scoring batch on `backend` for a model whose inference holds `bytesPerImage` an image
 * (PixelCnn.inferenceBytesPerImage): as many images as the budget holds, up to the largest that pays.
 */
export function scoreBatchSize(bytesPerImage: number, backend: string): number {
  const budget = SCORING_BUDGET_BYTES[backend] ?? SCORING_BUDGET_BYTES.wasm;
  const largest = LARGEST_BATCH[backend] ?? LARGEST_BATCH.wasm;
  return Math.max(1, Math.min(largest, Math.floor(budget / bytesPerImage)));
}
