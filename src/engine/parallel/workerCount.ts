import * as os from 'os';
import type { BackendName } from '../backend/types';
import { isCpuBackend } from '../backend/types';

/**
 * Worker threads worth using on `backend`: one per core (at most `limit`) for the single-threaded
 * CPU backends, none for GPU backends, where one process keeps the device busy.
 */
export function cpuWorkerCount(backend: BackendName, limit = 2): number {
  if (!isCpuBackend(backend)) {
    return 1;
  }
  return Math.max(1, Math.min(limit, cpuCoreCount()));
}

/** Cores this process may use. */
export function cpuCoreCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
