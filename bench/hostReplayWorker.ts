// A stand-in engine worker for bench:host: answers a scan by replaying N synthetic results in
// chunks of 64 (the engine's batch size) as fast as the channel takes them, like a very fast GPU.
import type { FromEngineMessage, ToEngineMessage } from '../src/protocol/engine';
import type { ScoredImage } from '../src/protocol/scanResults';

const COUNT = Number(process.env.OUTLIER_LENS_REPLAY_COUNT ?? 10_000);
const CHUNK = 64;

function post(message: FromEngineMessage): void {
  process.send?.(message);
}

process.on('message', (message: ToEngineMessage) => {
  if (message.type !== 'scan') return;
  post({ type: 'backend', name: 'cpu', description: 'replay: synthetic results' });
  post({ type: 'scanChunk', inReplyTo: message.requestId, items: [], failures: [], unchanged: [] });
  let sent = 0;
  const started = performance.now();
  const next = (): void => {
    const items: ScoredImage[] = [];
    for (let i = 0; i < CHUNK && sent < COUNT; i++, sent++) {
      const score = Math.sin(sent * 12.9898) * 43758.5453;
      items.push({ relativePath: `class-${sent % 10}/${String(sent).padStart(6, '0')}.png`, instanceScore: Math.fround(score - Math.floor(score)) * 100, semanticLogProb: -800 - (sent % 97), backgroundLogProb: -850 + (sent % 89), size: 1000 + sent, mtimeMs: 1.7e12 + sent });
    }
    const failures = sent % 2048 < CHUNK ? [{ relativePath: `broken-${sent}.png`, reason: 'truncated PNG' }] : [];
    post({ type: 'scanChunk', inReplyTo: message.requestId, items, failures });
    post({ type: 'progress', inReplyTo: message.requestId, phase: 'scanning', done: sent, total: COUNT });
    if (sent < COUNT) {
      setImmediate(next);
    } else {
      post({ type: 'done', inReplyTo: message.requestId, result: { kind: 'scan', fileCount: COUNT, scored: COUNT, failed: 0, skipped: 0, seconds: (performance.now() - started) / 1000 } });
    }
  };
  next();
});
process.on('disconnect', () => process.exit(0));
