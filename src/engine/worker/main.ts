// The engine worker process: forked by the extension host (dist/engine.js) with `serialization: 'advanced'`.
// It owns TensorFlow.js; the host only ever talks to it through src/protocol/engine.ts.
import type { BackendChoice } from '../../protocol/detector';
import type { FromEngineMessage, ToEngineMessage } from '../../protocol/engine';
import { backendFromArguments } from '../../protocol/engine';
import { EngineWorker } from './engineWorker';

function post(message: FromEngineMessage): void {
  // A host that went away cannot be told anything; the disconnect handler below ends the process.
  if (process.connected) {
    process.send?.(message);
  }
}

if (!process.send) {
  process.stderr.write('dist/engine.js is the Outlier Lens engine worker: start it with child_process.fork\n');
  process.exit(2);
}

// One backend for the process's life, named by the host when it forked it.
let backend: BackendChoice;
try {
  backend = backendFromArguments(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`dist/engine.js: ${(error as Error).message}\n`);
  process.exit(2);
}
post({ type: 'log', inReplyTo: null, level: 'info', message: `engine process ${process.pid} runs on backend '${backend}' (the outlierLens.backend setting when it started)` });
const worker = new EngineWorker(post, backend);
process.on('message', (message: ToEngineMessage) => worker.receive(message));
// No orphans: when the extension host dies or closes the channel, the worker goes too.
process.on('disconnect', () => process.exit(0));
process.on('unhandledRejection', (reason) => {
  post({ type: 'log', inReplyTo: null, level: 'error', message: `unhandled rejection in the engine: ${String(reason)}` });
});
