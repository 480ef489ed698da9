import type { BackendName } from '../../../src/engine/backend/types';
import { selectBackend } from '../../../src/engine/backend/selectBackend';

/** The backends every engine suite runs on; webgpu only where Dawn finds a GPU. */
const MATRIX: readonly BackendName[] = ['wasm', 'cpu', 'webgpu'];

/**
 * Runs `body` once per backend, as tfjs's `describeWithFlags(ALL_ENVS)` does: each copy activates
 * its backend first. The webgpu copy skips itself, saying why, where no GPU adapter exists.
 */
export function describeOnEachBackend(title: string, body: (backend: BackendName) => void, backends: readonly BackendName[] = MATRIX): void {
  for (const backend of backends) {
    const suffix = backend === 'webgpu' ? ' (skipped where Dawn finds no GPU adapter)' : '';
    describe(`${title} — on ${backend}${suffix}`, function () {
      before(async function () {
        try {
          await selectBackend(backend);
        } catch (error) {
          if (backend === 'webgpu') {
            this.skip();
          }
          throw error;
        }
      });
      body(backend);
    });
  }
}
