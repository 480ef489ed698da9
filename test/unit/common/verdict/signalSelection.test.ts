import * as assert from 'node:assert/strict';
import { cutVerdict, defaultCut, outlierVerdict } from '../../../../src/common/verdict/outlierVerdict';
import type { NamedSignalTail, SignalSelection } from '../../../../src/common/verdict/signalSelection';
import { cutOf, isValidCut, sameSelection, selectedScore, selectedScoreColumn, selectedVerdict } from '../../../../src/common/verdict/signalSelection';
import { tailProbability } from '../../../../src/common/verdict/tailProbability';

type Signal = 'llr' | 'typicality' | 'brightness' | 'information' | 'sharpness';
const SIGNALS: readonly Signal[] = ['llr', 'typicality', 'brightness', 'information', 'sharpness'];
const ALL: SignalSelection<Signal> = { signals: SIGNALS, cuts: {} };

/** Tails of 2,000 images against 500 known inliers, as a scan computes them: conformal p-values of five values per image, every tenth image far out on one signal. */
function imageTails(): NamedSignalTail<Signal, string>[][] {
  let state = 2024;
  const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const reference = Array.from({ length: 500 }, next).sort((a, b) => a - b);
  return Array.from({ length: 2000 }, (_, image) =>
    SIGNALS.map((signal, s) => {
      const value = image % 10 === 0 && image % 50 === s * 10 ? 1 + next() * (image / 200) : next();
      return { signal, reason: signal, p: tailProbability(reference, value, 'upper') };
    }),
  );
}

describe('the verdict over a selection of signals and cuts', () => {
  const images = imageTails();

  it('is the engine\'s Bonferroni verdict, bit for bit, with every signal on at its default cut', () => {
    for (const tails of images) {
      assert.deepEqual(selectedVerdict(tails, ALL), outlierVerdict(tails));
      assert.equal(selectedScore((signal) => tails.find((tail) => tail.signal === signal)?.p ?? Number.NaN, ALL), outlierVerdict(tails).outlierScore);
    }
    const flagged = images.filter((tails) => outlierVerdict(tails).isOutlier).length;
    assert.ok(flagged >= 200 && flagged <= 240, `the 200 far-out images and about 1 % of the other 1,800 are flagged: ${flagged}`);
  });

  it('scores a whole column of images at once to the same numbers, signals off, own cuts and missing tails included', () => {
    const selections: SignalSelection<Signal>[] = [ALL, { signals: ['llr', 'sharpness', 'brightness'], cuts: { sharpness: 0.05 } }, { signals: [], cuts: {} }];
    // Every 7th image has no brightness tail (a scan without the checks for it).
    const tailOf = (tails: NamedSignalTail<Signal, string>[], signal: Signal, image: number): number => (signal === 'brightness' && image % 7 === 0 ? Number.NaN : (tails.find((tail) => tail.signal === signal)?.p ?? Number.NaN));
    for (const selection of selections) {
      const columns = selection.signals.map((signal) => ({ tails: Float64Array.from(images, (tails, image) => tailOf(tails, signal, image)), cut: selection.cuts[signal] }));
      const column = selectedScoreColumn(columns, images.length);
      images.forEach((tails, image) => {
        assert.equal(column[image], selectedScore((signal) => tailOf(tails, signal, image), selection));
        const present = tails.filter((tail) => selection.signals.includes(tail.signal) && !Number.isNaN(tailOf(tails, tail.signal, image)));
        assert.equal(column[image], selectedVerdict(present, selection).outlierScore);
      });
    }
  });

  it('gives the same verdict, to rounding, when the default cuts alpha/k are written out', () => {
    const written: SignalSelection<Signal> = { signals: SIGNALS, cuts: Object.fromEntries(SIGNALS.map((signal) => [signal, defaultCut(5)])) };
    assert.equal(cutOf('llr', written), 0.002);
    for (const tails of images) {
      const expected = outlierVerdict(tails);
      const actual = selectedVerdict(tails, written);
      assert.ok(Math.abs(actual.outlierScore - expected.outlierScore) < 1e-12, `${actual.outlierScore} vs ${expected.outlierScore}`);
      assert.equal(actual.isOutlier, expected.isOutlier);
    }
  });

  it('switching a signal off drops its reasons, re-corrects the rest over k − 1, and un-flags the images only it flagged', () => {
    const withoutLlr: SignalSelection<Signal> = { signals: SIGNALS.filter((signal) => signal !== 'llr'), cuts: {} };
    let unflagged = 0;
    for (const tails of images) {
      const before = selectedVerdict(tails, ALL);
      const after = selectedVerdict(tails, withoutLlr);
      assert.ok(!after.reasons.includes('llr'));
      const others = tails.filter((tail) => tail.signal !== 'llr');
      assert.deepEqual(after, outlierVerdict(others), 'the four others at alpha/4');
      if (before.isOutlier && !after.isOutlier) {
        unflagged++;
        assert.deepEqual(before.reasons, ['llr'], 'only an image the LLR alone flagged leaves the flagged');
      }
    }
    assert.ok(unflagged > 0, 'the images far out on the LLR alone are no longer flagged');
  });

  it('a looser cut on one signal flags more images, each with that reason; a tighter one fewer', () => {
    const flaggedUnder = (selection: SignalSelection<Signal>): number => images.filter((tails) => selectedVerdict(tails, selection).isOutlier).length;
    const loose: SignalSelection<Signal> = { signals: SIGNALS, cuts: { sharpness: 0.05 } };
    const tight: SignalSelection<Signal> = { signals: SIGNALS, cuts: { sharpness: 1e-6 } };
    assert.ok(flaggedUnder(loose) > flaggedUnder(ALL) + 50, `${flaggedUnder(loose)} vs ${flaggedUnder(ALL)}`);
    assert.ok(flaggedUnder(tight) < flaggedUnder(ALL));
    for (const tails of images) {
      const p = tails.find((tail) => tail.signal === 'sharpness')?.p ?? 1;
      assert.equal(selectedVerdict(tails, loose).reasons.includes('sharpness'), p < 0.05, `past its own cut ⇔ p < cut (p = ${p})`);
    }
  });

  it('scores an image 0 and flags nothing with every signal off, and ignores a signal the image has no tail for', () => {
    assert.deepEqual(selectedVerdict(images[0], { signals: [], cuts: {} }), { outlierScore: 0, isOutlier: false, reasons: [] });
    const llrOnly = images[0].filter((tail) => tail.signal === 'llr');
    assert.deepEqual(selectedVerdict(llrOnly, ALL), cutVerdict([{ reason: 'llr', p: llrOnly[0].p }]), 'k = 1: the image has one tail');
  });

  it('tells selections apart by their signals and cuts, an absent cut being the default', () => {
    assert.equal(sameSelection(ALL, { signals: [...SIGNALS], cuts: {} }), true);
    assert.equal(sameSelection(ALL, { signals: SIGNALS.slice(1), cuts: {} }), false);
    assert.equal(sameSelection(ALL, { signals: SIGNALS, cuts: { llr: 0.002 } }), false, 'a cut written out is the user\'s own: it stays when signals switch');
    assert.equal(sameSelection({ signals: SIGNALS, cuts: { llr: 0.01 } }, { signals: SIGNALS, cuts: { llr: 0.01 } }), true);
  });

  it('accepts a cut strictly between 0 and 1', () => {
    assert.equal(isValidCut(0.002), true);
    for (const bad of [0, 1, -0.1, Number.NaN, Number.POSITIVE_INFINITY, '0.1']) assert.equal(isValidCut(bad), false, String(bad));
  });
});
