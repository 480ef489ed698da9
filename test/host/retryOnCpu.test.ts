// A crashed engine job: a clear error, and a retry on CPU (wasm) when the user asks for it.
import * as assert from 'assert';
import { EngineError } from '../../src/extension/engine/engineError';
import { RETRY_ON_CPU, runWithCpuRetry } from '../../src/extension/workflows/runWithCpuRetry';
import { fake } from './fakeVscode/fakeVscode';
import { activateExtension } from './support/hostFixture';

describe('crash recovery', () => {
  it('shows the crash and reruns the job on wasm when the user picks "Retry on CPU (wasm)"', async () => {
    const fixture = activateExtension();
    try {
      fake.ui.messageAnswer = (message) => (message.items.includes(RETRY_ON_CPU) ? RETRY_ON_CPU : undefined);
      const events: string[] = [];
      const result = await runWithCpuRetry(fixture.api.services, 'Training', 'webgpu', async (backend) => {
        events.push(`run on ${backend}`);
        if (backend !== 'wasm') throw new EngineError('crashed', 'The Outlier Lens engine stopped: it aborted (often JavaScript heap out of memory).', { code: null, signal: 'SIGABRT' });
        return 'trained';
      }, (outcome, reason) => events.push(`${outcome}: ${reason}`));
      assert.strictEqual(result, 'trained');
      // The panel hears of the failure at once, before the user answers and the job runs again.
      assert.deepStrictEqual(events, ['run on webgpu', 'failed: The Outlier Lens engine stopped: it aborted (often JavaScript heap out of memory).', 'run on wasm']);
      const [error] = fake.ui.messages.filter((message) => message.level === 'error');
      assert.match(error.message, /Training failed.*out of memory/);
      assert.deepStrictEqual(error.items, [RETRY_ON_CPU, 'Show Log']);
    } finally {
      fixture.close();
    }
  });

  it('does not offer a retry when the job already ran on wasm, and is quiet about a cancel', async () => {
    const fixture = activateExtension();
    try {
      const crashed = await runWithCpuRetry(fixture.api.services, 'Scanning', 'wasm', () => Promise.reject(new EngineError('crashed', 'it was killed')));
      assert.strictEqual(crashed, undefined);
      assert.ok(!fake.ui.messages.some((message) => message.items.includes(RETRY_ON_CPU)));
      const stops: string[] = [];
      const cancelled = await runWithCpuRetry(fixture.api.services, 'Scanning', 'auto', () => Promise.reject(new EngineError('cancelled', 'cancelled')), (outcome) => stops.push(outcome));
      assert.strictEqual(cancelled, undefined);
      assert.deepStrictEqual(stops, ['cancelled']);
      assert.deepStrictEqual(fake.ui.messagesAt('info'), ['Outlier Lens: Scanning cancelled.']);
    } finally {
      fixture.close();
    }
  });
});
