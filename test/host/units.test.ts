// Small pure pieces: the progress throttle, settings parsing, progress text.
import * as assert from 'assert';
import { ProgressThrottle } from '../../src/engine/worker/progressThrottle';
import { describeProgress } from '../../src/extension/engine/progressText';
import { parseChannels, parseImageSize, SettingError } from '../../src/extension/settings/parseSettings';
import type { DetectorSummary } from '../../src/extension/detectors/detectorSummary';
import { ResultSet } from '../../src/extension/results/resultSet';
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
  it('tells the model, epoch, step, loss, bits/dim and ETA of a training step', () => {
    const text = describeProgress({ type: 'progress', inReplyTo: 1, phase: 'training', done: 30, total: 120, training: { model: 'background', epoch: 2, epochs: 3, step: 5, stepsPerEpoch: 20, loss: 812.34, bitsPerDim: 1.4962, etaSeconds: 75 } });
    assert.strictEqual(text.message, 'background epoch 2/3, step 5/20 · loss 812.3 · 1.496 bits/dim · ETA 1 m 15 s');
    assert.strictEqual(text.percent, 25);
  });
});

describe('ResultSet', () => {
  const detector = { folder: '/d', manifestSha256: 'x', manifest: {} } as unknown as DetectorSummary;
  const image = (relativePath: string, instanceScore: number): ScoredImage => ({ relativePath, instanceScore, semanticLogProb: 0, backgroundLogProb: 0, size: 1, mtimeMs: 1 });

  it('keeps the protocol order (score descending, ties by path) as results stream in chunks, are rescored or fail', () => {
    const set = new ResultSet('scan', '/f', detector);
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
