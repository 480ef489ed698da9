import * as assert from 'node:assert/strict';
import { scheduleFlag } from '../../../src/cli/options';
import { UsageError } from '../../../src/cli/usageError';

describe('CLI --learning-rate-schedule', () => {
  it('passes constant and linear through, leaves an absent flag to the preset, and refuses anything else as bad usage', () => {
    assert.equal(scheduleFlag({ 'learning-rate-schedule': 'linear' }), 'linear');
    assert.equal(scheduleFlag({ 'learning-rate-schedule': 'constant' }), 'constant');
    assert.equal(scheduleFlag({}), undefined);
    assert.throws(() => scheduleFlag({ 'learning-rate-schedule': 'cosine' }), (error: unknown) => error instanceof UsageError && /must be constant or linear, got 'cosine'/.test(error.message));
  });
});
