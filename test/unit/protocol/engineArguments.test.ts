import * as assert from 'node:assert/strict';
import { BACKEND_CHOICES, backendFromArguments, engineArguments } from '../../../src/protocol/engine';

describe('the engine process’s backend argument', () => {
  it('reads back every backend choice the host passes at spawn', () => {
    for (const choice of BACKEND_CHOICES) assert.equal(backendFromArguments(['--inspect', ...engineArguments(choice)]), choice);
  });

  it('refuses a missing or unknown backend, naming what it got', () => {
    assert.throws(() => backendFromArguments([]), /needs --backend auto\|webgpu\|tensorflow\|wasm\|cpu, got none/);
    assert.throws(() => backendFromArguments(['--backend']), /got none/);
    assert.throws(() => backendFromArguments(['--backend', 'cuda']), /got 'cuda'/);
  });
});
