import * as assert from 'node:assert/strict';
import { FitProgressTracker, resolveFitConfig } from '../../../../src/engine/llr/fit';
import type { FitProgress } from '../../../../src/engine/llr';
import { toImageSet } from '../../../../src/engine/llr';

describe('training progress', () => {
  const { now } = performance;
  afterEach(() => {
    performance.now = now;
  });

  /** A tracker over 4 epochs of 10 steps a model, on a clock the test sets. */
  function tracker(): { clock: { seconds: number }; reports: FitProgress[]; tracker: FitProgressTracker } {
    const clock = { seconds: 0 };
    performance.now = () => clock.seconds * 1000;
    const reports: FitProgress[] = [];
    const images = toImageSet(new Uint8Array(4 * 4), [4, 4, 1]);
    return { clock, reports, tracker: new FitProgressTracker(resolveFitConfig({ epochs: 4 }), images, (progress) => reports.push(progress)) };
  }

  /** Both models take steps 1–5 of `epoch`, one pair every 2 s of the clock. */
  function fiveStepsEach(progress: FitProgressTracker, clock: { seconds: number }, epoch: number): void {
    for (let step = 1; step <= 5; step++) {
      clock.seconds = 2 * step;
      progress.step('semantic', epoch, step, 10, 100);
      progress.step('background', epoch, step, 10, 100);
    }
  }

  it('estimates the time left from the steps taken so far, both models together', () => {
    const { clock, reports, tracker: progress } = tracker();
    fiveStepsEach(progress, clock, 1);
    // 10 steps in 10 s, 70 to go.
    assert.equal(reports[reports.length - 1].etaSeconds, 70);
  });

  it('counts only this run’s steps toward the rate when training went on from a checkpoint', () => {
    const { clock, reports, tracker: progress } = tracker();
    // Both models resumed after epoch 2 (20 steps each) and take 5 steps each in 10 s.
    fiveStepsEach(progress, clock, 3);
    // 10 steps in 10 s, 30 to go (not 50 done in 10 s).
    assert.equal(reports[reports.length - 1].etaSeconds, 30);
  });
});
