import type { BackendName } from '../backend/types';
import { isCpuBackend } from '../backend/types';
import type { ModelTrainer, ScoringPlan } from '../llr';
import { fitModels, TENSORFLOW_SCORING } from '../llr';
import { loadOnnxRuntime } from '../onnx/onnxRuntime';
import { fitModelsInWorkers } from '../parallel/fitInWorkers';
import { ScoringPool } from '../parallel/scoringPool';
import { cpuCoreCount, cpuWorkerCount } from '../parallel/workerCount';

/**
 * How a detector trains on `backend`: on a CPU backend with two cores or more, the two models at
 * once in two worker threads, one core each (half the wall time); else in this thread.
 */
export function trainerFor(backend: BackendName): ModelTrainer {
  return cpuWorkerCount(backend) >= 2 ? (images, options) => fitModelsInWorkers(images, options, backend) : fitModels;
}

/**
 * The fastest scoring `backend` allows. On a CPU backend: ONNX Runtime where it loads, a thread per
 * core in this thread, and for instance scores of two batches or more one worker thread per core
 * running both networks on one thread each (data-parallel, no synchronisation inside operators:
 * faster than both networks on every core in turn, docs/measurements.md); where ONNX Runtime does
 * not load, TensorFlow.js in a worker thread per core. On a GPU backend, the backend itself.
 */
export function scoringFor(backend: BackendName): ScoringPlan {
  if (!isCpuBackend(backend)) {
    return TENSORFLOW_SCORING;
  }
  const onnxRuntime = loadOnnxRuntime().runtime !== null;
  const count = cpuWorkerCount(backend);
  return {
    onnxRuntimeThreads: onnxRuntime ? cpuCoreCount() : null,
    workers: count >= 2 ? { count, start: (semantic, background) => new ScoringPool(semantic, background, backend, count, onnxRuntime) } : null,
  };
}
