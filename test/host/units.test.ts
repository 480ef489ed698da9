// Small pure pieces: the progress throttle, settings parsing, progress text.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ProgressThrottle } from '../../src/engine/worker/progressThrottle';
import picomatch from 'picomatch';
import { ProgressReadout } from '../../src/extension/engine/progressText';
import { literalGlob } from '../../src/extension/workflows/retrainWorkflow';
import type { ProgressEvent } from '../../src/protocol/engine';
import { parseChannels, parseImageSize, SettingError } from '../../src/extension/settings/parseSettings';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { ResultSet } from '../../src/extension/results/resultSet';
import { ResultStore } from '../../src/extension/results/resultStore';
import type { ScoredImage } from '../../src/protocol/scanResults';

describe('ProgressThrottle', () => {
  it('lets about 4 updates a second through, always the last of a phase and every phase change', () => {
    let now = 0;
    const sent: Array<{ phase: string; done: number; total: number }> = [];
    const throttle = new ProgressThrottle<{ phase: string; done: number; total: number }>((update) => sent.push(update), 250, () => now);
    for (let step = 1; step <= 1000; step++) {
      now = step; // 1000 updates over one second
      throttle.offer({ phase: 'training', done: step, total: 1000 });
    }
    assert.ok(sent.length >= 4 && sent.length <= 6, `${sent.length} updates`);
    assert.strictEqual(sent.at(-1)?.done, 1000);
    throttle.offer({ phase: 'scanning', done: 1, total: 10 });
    assert.strictEqual(sent.at(-1)?.phase, 'scanning');
  });
});

describe('settings', () => {
  it('reads imageSize as auto or HxW and rejects anything else naming the setting', () => {
    assert.strictEqual(parseImageSize('auto'), null);
    assert.deepStrictEqual(parseImageSize('12x16'), [12, 16]);
    assert.deepStrictEqual(parseImageSize(' 28 × 28 '), [28, 28]);
    assert.throws(() => parseImageSize('28'), (error: unknown) => error instanceof SettingError && /outlierLens\.imageSize/.test(error.message));
    assert.throws(() => parseImageSize('0x5'), SettingError);
  });

  it('reads channels as auto, 1 or 3', () => {
    assert.strictEqual(parseChannels('auto'), null);
    assert.strictEqual(parseChannels('3'), 3);
    assert.strictEqual(parseChannels(1), 1);
    assert.throws(() => parseChannels('2'), SettingError);
  });
});

describe('progress text', () => {
  const training = (model: 'semantic' | 'background', bitsPerDim: number, step: number): ProgressEvent => ({
    type: 'progress', inReplyTo: 1, phase: 'training', done: 30 + step, total: 120,
    training: { model, epoch: 2, epochs: 3, step, stepsPerEpoch: 20, loss: bitsPerDim * 784 * Math.LN2, bitsPerDim, etaSeconds: 75 },
  });

  it('shows both models’ bits/dim in one steady line as they report in turn, with epoch, step and ETA', () => {
    const readout = new ProgressReadout();
    const first = readout.describe(training('semantic', 3.2154, 5));
    assert.strictEqual(first.message, 'Training epoch 2/3, step 5/20 · semantic 3.215 · background … bits/dim (background on perturbed images) · ETA 1 m 15 s');
    const second = readout.describe(training('background', 8.07, 6));
    assert.strictEqual(second.message, 'Training epoch 2/3, step 6/20 · semantic 3.215 · background 8.070 bits/dim (background on perturbed images) · ETA 1 m 15 s');
    const third = readout.describe(training('semantic', 3.2, 7));
    assert.match(third.message, /semantic 3\.200 · background 8\.070 bits\/dim/, 'the other model’s figure stays');
    assert.strictEqual(third.statusText, 'training 31% · ETA 1 m 15 s');
    assert.strictEqual(third.percent, (100 * 37) / 120);
  });

  it('names the phase: decoding is never shown as training, and the scan phase is scoring', () => {
    const readout = new ProgressReadout();
    const decoding = readout.describe({ type: 'progress', inReplyTo: 1, phase: 'decoding', done: 3000, total: 3000 });
    assert.strictEqual(decoding.statusText, 'decoding 100%');
    assert.strictEqual(decoding.message, 'Decoding images 3000/3000 (training starts next)');
    const scoring = readout.describe({ type: 'progress', inReplyTo: 1, phase: 'scanning', done: 50, total: 200 });
    assert.strictEqual(scoring.statusText, 'scoring 25%');
    assert.strictEqual(scoring.message, 'Scoring 50/200 files');
  });
});

describe('ResultSet', () => {
  const detector = { folder: '/d', manifestSha256: 'x', manifest: {} } as unknown as DetectorSummary;
  const image = (relativePath: string, instanceScore: number): ScoredImage => ({ relativePath, instanceScore, semanticLogProb: 0, backgroundLogProb: 0, size: 1, mtimeMs: 1 });

  it('keeps the protocol order (score descending, ties by path) as results stream in chunks, are rescored or fail', () => {
    const set = new ResultSet('scan', '/f', detector, ResultStore.create(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'result-set-')), 'store.jsonl'), { kind: 'test' }));
    const all: ScoredImage[] = [];
    let seed = 7;
    for (let chunk = 0; chunk < 40; chunk++) {
      const items = Array.from({ length: 64 }, (_, i) => {
        seed = (seed * 16807) % 2147483647;
        return image(`img-${chunk}-${i}.png`, Math.round((seed / 2147483647) * 50));
      });
      all.push(...items);
      set.add(items, []);
      if (chunk % 7 === 0) set.scores(); // reads in between, as the views do
    }
    set.add([image('img-3-3.png', 999)], [{ relativePath: 'img-5-5.png', reason: 'truncated PNG' }]);
    const expected = all.filter((item) => item.relativePath !== 'img-3-3.png' && item.relativePath !== 'img-5-5.png').concat(image('img-3-3.png', 999));
    expected.sort((a, b) => b.instanceScore - a.instanceScore || (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
    assert.deepStrictEqual(set.scoredByScore().map((item) => item.relativePath), expected.map((item) => item.relativePath));
    assert.strictEqual(set.rankOf('img-3-3.png'), 1);
    assert.deepStrictEqual(set.failuresByPath().map((failure) => failure.relativePath), ['img-5-5.png']);
    assert.ok(!set.has('img-5-5.png') || set.scoredImage('img-5-5.png') === undefined);
  });
});

describe('retrain excludes', () => {
  it('turns a path into a glob that matches only that file, whatever characters its name holds', () => {
    const names = ['shirts/a[1] (copy).png', 'shirts/a1 (copy).png', 'x/{b,c}*.png', 'x/b.png', 'x/!neg+@(y).png', 'x/ok.png'];
    for (const name of names) {
      const matches = picomatch(literalGlob(name));
      assert.deepStrictEqual(names.filter((other) => matches(other)), [name], name);
    }
  });
});
