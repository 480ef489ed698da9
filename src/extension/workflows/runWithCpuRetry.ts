import * as vscode from 'vscode';
import type { BackendChoice } from '../../protocol/detector';
import { EngineError } from '../engine/engineError';
import type { ExtensionServices } from '../services';

/** Told when a job ends without a result: how, and a sentence saying why (before any retry starts). */
export type JobStopListener = (outcome: 'failed' | 'cancelled', reason: string) => void;

/** The button that reruns a crashed job on the WebAssembly CPU backend. */
export const RETRY_ON_CPU = 'Retry on CPU (wasm)';

/**
 * Runs `job` on `backend`. A crash (exit code, OOM, device lost) becomes an error message that
 * offers to run it again on CPU (wasm); a cancel is quiet; a failure is shown with the log at hand.
 * `onStopped` hears every failure and cancel (also one a retry follows). Resolves undefined when
 * the job did not produce a result.
 */
export async function runWithCpuRetry<Result>(services: ExtensionServices, title: string, backend: BackendChoice, job: (backend: BackendChoice) => Promise<Result>, onStopped?: JobStopListener): Promise<Result | undefined> {
  try {
    return await job(backend);
  } catch (error) {
    onStopped?.(error instanceof EngineError && error.kind === 'cancelled' ? 'cancelled' : 'failed', (error as Error).message);
    if (!(error instanceof EngineError)) {
      services.log.error(`${title}: ${(error as Error).stack ?? String(error)}`);
      void showWithLog(services, `Outlier Lens: ${title} failed: ${(error as Error).message}`);
      return undefined;
    }
    if (error.kind === 'cancelled') {
      services.log.info(`${title}: cancelled`);
      void vscode.window.showInformationMessage(`Outlier Lens: ${title} cancelled.`);
      return undefined;
    }
    services.log.error(`${title}: ${error.message}`);
    if (error.kind === 'crashed' && backend !== 'wasm') {
      const answer = await vscode.window.showErrorMessage(`Outlier Lens: ${title} failed. ${error.message}`, RETRY_ON_CPU, 'Show Log');
      if (answer === RETRY_ON_CPU) {
        services.log.info(`${title}: retrying on CPU (wasm)`);
        return runWithCpuRetry(services, title, 'wasm', job, onStopped);
      }
      if (answer === 'Show Log') services.log.show();
      return undefined;
    }
    void showWithLog(services, `Outlier Lens: ${title} failed: ${error.message}`);
    return undefined;
  }
}

async function showWithLog(services: ExtensionServices, message: string): Promise<void> {
  if ((await vscode.window.showErrorMessage(message, 'Show Log')) === 'Show Log') {
    services.log.show();
  }
}
