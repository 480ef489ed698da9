// The engine client's process handling: cancel, the kill backstop, crashes, disposal.
import * as assert from 'assert';
import * as path from 'path';
import { EngineClient } from '../../src/extension/engine/engineClient';
import { EngineError } from '../../src/extension/engine/engineError';
import { isAlive, waitFor } from './support/hostFixture';

const FAKE_WORKER = path.join(__dirname, 'fixtures', 'fakeEngineWorker.ts');
const TSX = ['--require', require.resolve('tsx/cjs')];

function fakeClient(killAfterMs = 500): { client: EngineClient; logs: string[]; exits: Array<number | string | null> } {
  const logs: string[] = [];
  const exits: Array<number | string | null> = [];
  const client = new EngineClient({
    modulePath: FAKE_WORKER,
    backend: 'cpu',
    execArgv: TSX,
    killAfterMs,
    onLog: (event) => logs.push(event.message),
    onExit: (code, signal) => exits.push(signal ?? code),
  });
  return { client, logs, exits };
}

const scanBody = { type: 'scan', folder: '/nowhere', detectorFolder: '/nowhere', include: [], exclude: [], known: [] } as const;

describe('EngineClient', () => {
  it('kills a worker that ignores cancel once the grace period is over, and ends the request as cancelled', async () => {
    const { client, logs, exits } = fakeClient(500);
    let progressEvents = 0;
    const job = client.request(scanBody, { onProgress: () => progressEvents++ });
    await waitFor(() => progressEvents >= 2, 10_000, 'progress from the worker');
    const pid = client.pid as number;
    const cancelledAt = Date.now();
    job.cancel();
    await assert.rejects(job.result, (error: unknown) => error instanceof EngineError && error.kind === 'cancelled');
    const waited = Date.now() - cancelledAt;
    assert.ok(waited >= 450 && waited < 3000, `killed after ${waited} ms`);
    await waitFor(() => !isAlive(pid), 3000, 'the worker to die');
    assert.deepStrictEqual(exits, ['SIGKILL']);
    assert.ok(logs.some((line) => line.includes('cancel received, ignored')));
    assert.ok(logs.some((line) => line.includes('did not stop')));
    assert.strictEqual(client.isRunning, false);
    client.dispose();
  });

  it('turns a crashed worker into a "crashed" error for the pending request (no hang), naming out-of-memory', async () => {
    const { client } = fakeClient();
    const job = client.request({ type: 'train', folder: '/x', detectorFolder: '/y', detectorName: 'z', settings: { preset: 'fast' }, imageSize: null, channels: null, include: [], exclude: [], checkpointFolder: null });
    await assert.rejects(job.result, (error: unknown) => {
      assert.ok(error instanceof EngineError);
      assert.strictEqual(error.kind, 'crashed');
      assert.match(error.message, /out of memory/);
      return true;
    });
    // The next request starts a fresh worker.
    const reply = await client.request({ type: 'displayImage', path: '/x.tif' }).result;
    assert.deepStrictEqual([...reply.png], [137, 80, 78, 71]);
    client.dispose();
  });

  it('kills the worker on dispose and fails what was pending', async () => {
    const { client } = fakeClient();
    const job = client.request(scanBody);
    await waitFor(() => client.pid !== undefined);
    const pid = client.pid as number;
    client.dispose();
    await assert.rejects(job.result, (error: unknown) => error instanceof EngineError && error.kind === 'crashed');
    await waitFor(() => !isAlive(pid), 3000, 'the worker to die');
    assert.throws(() => client.request(scanBody), /disposed/);
  });
});
