import * as assert from 'node:assert/strict';
import { PendingRequests, RequestTimeoutError, RunningRequests } from '../../../src/protocol/requestReply';

describe('PendingRequests (the asking end of every boundary)', () => {
  it('numbers requests uniquely and settles each with its own reply, whatever the order replies come in', async () => {
    const pending = new PendingRequests<string>();
    const first = pending.open(undefined);
    const second = pending.open(undefined);
    assert.notEqual(first.requestId, second.requestId);
    assert.equal(pending.size, 2);
    assert.ok(pending.resolve(second.requestId, 'two'));
    assert.ok(pending.resolve(first.requestId, 'one'));
    assert.deepEqual(await Promise.all([first.reply, second.reply]), ['one', 'two']);
    assert.equal(pending.size, 0);
  });

  it('settles a request once: a late or repeated reply, or one to an unknown id, is refused', async () => {
    const pending = new PendingRequests<number>();
    const { requestId, reply } = pending.open(undefined);
    assert.ok(pending.reject(requestId, new Error('engine failed')));
    await assert.rejects(reply, /engine failed/);
    assert.equal(pending.resolve(requestId, 1), false);
    assert.equal(pending.reject(requestId, new Error('again')), false);
    assert.equal(pending.resolve(9999, 1), false);
    assert.equal(pending.state(requestId), undefined);
  });

  it('keeps what the end holds per request (listeners, a cancelled flag) until the request is settled', () => {
    const pending = new PendingRequests<string, { cancelled: boolean }>();
    const { requestId } = pending.open({ cancelled: false });
    pending.state(requestId)!.cancelled = true;
    assert.deepEqual(pending.state(requestId), { cancelled: true });
    assert.deepEqual(pending.openIds(), [requestId]);
    pending.resolve(requestId, 'done');
    assert.deepEqual(pending.openIds(), []);
  });

  it('fails every open request when the peer dies, each with the error made from its own state', async () => {
    const pending = new PendingRequests<string, { cancelled: boolean }>();
    const running = pending.open({ cancelled: false });
    const cancelled = pending.open({ cancelled: true });
    pending.rejectAll((_id, state) => new Error(state.cancelled ? 'cancelled' : 'crashed'));
    await assert.rejects(running.reply, /crashed/);
    await assert.rejects(cancelled.reply, /cancelled/);
    assert.equal(pending.size, 0);
  });

  it('fails a request with no reply in time with a RequestTimeoutError, and a reply in time clears its timer', async () => {
    const pending = new PendingRequests<string>(20);
    const answered = pending.open(undefined);
    const ignored = pending.open(undefined);
    pending.resolve(answered.requestId, 'in time');
    assert.equal(await answered.reply, 'in time');
    await assert.rejects(ignored.reply, (error: unknown) => error instanceof RequestTimeoutError && error.requestId === ignored.requestId);
    assert.equal(pending.size, 0);
  });
});

describe('RunningRequests (the answering end)', () => {
  it('reports a result once with onDone and forgets the request', async () => {
    const running = new RunningRequests();
    const outcomes: string[] = [];
    await running.run(1, async () => 'scored', (result) => outcomes.push(`done ${result}`), () => outcomes.push('error'));
    assert.deepEqual(outcomes, ['done scored']);
    assert.equal(running.size, 0);
    assert.equal(running.cancel(1), false);
  });

  it('fires only the cancelled request’s signal and reports it as cancelled; a failure that was not cancelled says so', async () => {
    const running = new RunningRequests();
    const outcomes: string[] = [];
    const untilAborted = (signal: AbortSignal): Promise<never> =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped'))));
    let otherSignal: AbortSignal | undefined;
    const cancelled = running.run(1, untilAborted, () => outcomes.push('done 1'), (error, wasCancelled) => outcomes.push(`1: ${(error as Error).message}, cancelled ${wasCancelled}`));
    const failing = running.run(2, async (signal) => {
      otherSignal = signal;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('bad file');
    }, () => outcomes.push('done 2'), (error, wasCancelled) => outcomes.push(`2: ${(error as Error).message}, cancelled ${wasCancelled}`));
    assert.equal(running.size, 2);
    assert.ok(running.cancel(1));
    await Promise.all([cancelled, failing]);
    assert.equal(otherSignal?.aborted, false);
    assert.deepEqual(outcomes.sort(), ['1: stopped, cancelled true', '2: bad file, cancelled false']);
    assert.equal(running.size, 0);
  });

  it('reports a handler that throws before it awaits anything as an error, not a crash', async () => {
    const running = new RunningRequests();
    let reported = '';
    await running.run(3, () => {
      throw new Error('unknown request type');
    }, () => undefined, (error) => {
      reported = (error as Error).message;
    });
    assert.equal(reported, 'unknown request type');
  });
});
