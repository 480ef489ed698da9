import * as assert from 'node:assert/strict';
import { signalsFlag } from '../../../src/cli/options';
import { UsageError } from '../../../src/cli/usageError';

describe('CLI --signals', () => {
  it('takes every signal group by default or for "all", a comma-separated subset, and refuses unknown names as bad usage', () => {
    assert.deepEqual([...signalsFlag({})], ['llr', 'typicality', 'checks', 'duplicates']);
    assert.deepEqual([...signalsFlag({ signals: 'all' })], ['llr', 'typicality', 'checks', 'duplicates']);
    assert.deepEqual([...signalsFlag({ signals: 'llr' })], ['llr']);
    assert.deepEqual([...signalsFlag({ signals: ' checks , duplicates' })], ['checks', 'duplicates']);
    assert.throws(() => signalsFlag({ signals: 'llr,blur' }), (error: unknown) => error instanceof UsageError && /--signals takes a comma-separated list of llr, typicality, checks, duplicates \(or all\), got 'llr,blur'/.test(error.message));
    assert.throws(() => signalsFlag({ signals: ',' }), UsageError);
  });
});
