import * as assert from 'node:assert/strict';
import { mutate } from '../../../../src/engine/llr';

describe('mutate (background data)', () => {
  const size = 200_000;
  const original = Uint8Array.from({ length: size }, (_, i) => (i * 31) % 256);

  it('replaces values at rate μ, within 3σ of the expected count', () => {
    for (const rate of [0.1, 0.2, 0.3]) {
      const mutated = mutate(original, { rate, seed: 1 });
      const changed = mutated.reduce((count, value, i) => count + (value !== original[i] ? 1 : 0), 0);
      const sigma = Math.sqrt(size * rate * (1 - rate));
      assert.ok(Math.abs(changed - size * rate) <= 3 * sigma, `rate ${rate}: ${changed} changed of ${size}`);
    }
  });

  it('never leaves a mutated pixel unchanged, and spreads replacements uniformly over the other 255 values (χ² test)', () => {
    const constant = new Uint8Array(size).fill(77);
    const mutated = mutate(constant, { rate: 0.5, seed: 3 });
    const counts = new Array<number>(256).fill(0);
    let replaced = 0;
    for (const value of mutated) {
      if (value !== 77) {
        counts[value]++;
        replaced++;
      }
    }
    assert.equal(counts[77], 0);
    const expected = replaced / 255;
    const chiSquare = counts.reduce((sum, count, value) => (value === 77 ? sum : sum + (count - expected) ** 2 / expected), 0);
    // 254 degrees of freedom: the 99.9th percentile of χ² is about 330.
    assert.ok(chiSquare < 330, `χ² = ${chiSquare.toFixed(1)} over 254 degrees of freedom`);
  });

  it('is reproducible from its seed and differs between seeds; the input is left alone', () => {
    const copy = Uint8Array.from(original);
    const first = mutate(original, { rate: 0.2, seed: 42 });
    const second = mutate(original, { rate: 0.2, seed: 42 });
    const third = mutate(original, { rate: 0.2, seed: 43 });
    assert.deepEqual(first, second);
    assert.notDeepEqual(first, third);
    assert.deepEqual(original, copy);
  });

  it('rejects a rate outside [0, 1]', () => {
    assert.throws(() => mutate(original, { rate: 1.5, seed: 0 }), /mutation rate must be in \[0, 1\], got 1.5/);
  });
});
