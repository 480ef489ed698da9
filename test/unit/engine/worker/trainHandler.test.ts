import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writePatternPngFolder } from '../../support/patternPngFolder';
import { AbortError } from '../../../../src/engine/llr';
import { checkpointFile, readTrainingCheckpoint } from '../../../../src/engine/store/trainingCheckpoint';
import { cpuWorkerCount } from '../../../../src/engine/parallel';
import { ModelWorkerClient } from '../../../../src/engine/parallel/modelWorkerClient';
import { DetectorCache } from '../../../../src/engine/worker/detectorCache';
import { handleTrain } from '../../../../src/engine/worker/handlers/train';
import type { RequestContext } from '../../../../src/engine/worker/requestContext';
import { WorkerBackend } from '../../../../src/engine/worker/workerBackend';
import type { ProgressEvent, TrainRequest } from '../../../../src/protocol/engine';

type Update = Omit<ProgressEvent, 'type' | 'inReplyTo'>;

/** The engine process's backend as main.ts makes it: wasm, named once, started by the first request. */
const processBackend = new WorkerBackend('wasm', () => undefined, () => undefined);

/** A request context that records progress and log lines, on wasm. */
function recordingContext(signal = new AbortController().signal): { context: RequestContext; progress: Update[]; logs: string[] } {
  const progress: Update[] = [];
  const logs: string[] = [];
  const context: RequestContext = {
    requestId: 1,
    signal,
    progress: (update) => progress.push(update),
    log: (level, message) => logs.push(`${level}: ${message}`),
    send: () => undefined,
    // The process's one backend, as the engine process holds it (its choice given at start).
    backend: () => processBackend.ensure(),
    detectors: new DetectorCache(2, async () => undefined),
  };
  return { context, progress, logs };
}

describe('The engine worker’s train request', function () {
  this.timeout(300_000);
  let root: string;
  let request: TrainRequest;

  before(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'outlier-lens-train-handler-'));
    await writePatternPngFolder(path.join(root, 'images'), 24);
  });
  after(async () => {
    await fs.promises.rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    request = {
      type: 'train', requestId: 1, folder: path.join(root, 'images'),
      detectorFolder: path.join(root, `detector-${Date.now()}`), detectorName: 'tiny',
      settings: { preset: 'fast', epochs: 3, batchSize: 8 }, imageSize: null, channels: null, include: [], exclude: [],
      checkpointFolder: path.join(root, '.training', 'images'),
    };
  });

  it('trains both models in worker threads, counting both models’ steps in one rising progress, then saves the detector and drops the checkpoints', async () => {
    const { context, progress } = recordingContext();
    const { start } = ModelWorkerClient;
    let workersStarted = 0;
    ModelWorkerClient.start = (...args: Parameters<typeof start>) => {
      workersStarted++;
      return start.apply(ModelWorkerClient, args);
    };
    let result;
    try {
      result = await handleTrain(request, context);
    } finally {
      ModelWorkerClient.start = start;
    }
    assert.equal(workersStarted, cpuWorkerCount('wasm') >= 2 ? 2 : 0, 'a worker thread per model where there are two cores');
    const training = progress.filter((update) => update.phase === 'training');
    assert.deepEqual(new Set(training.map((update) => update.training?.model)), new Set(['semantic', 'background']));
    training.slice(1).forEach((update, i) => assert.ok(update.done >= training[i].done, `progress fell from ${training[i].done} to ${update.done}`));
    // 24 images in batches of 8: 3 steps an epoch, 3 epochs, 2 models.
    assert.equal(training[training.length - 1].done, 18);
    assert.equal(training[training.length - 1].total, 18);
    assert.ok(fs.existsSync(path.join(result.detectorFolder, 'manifest.json')));
    assert.ok(!fs.existsSync(request.checkpointFolder as string), 'checkpoints removed once the detector is saved');
  });

  it('cancelled after an epoch, the next training of the folder goes on from the checkpoints saved and says so', async () => {
    // Cancelled at the first epoch either model logs: the other may have saved none, some or (still running) all of its epochs by then.
    const controller = new AbortController();
    const first = recordingContext(controller.signal);
    const log = first.context.log;
    first.context.log = (level, message) => {
      log(level, message);
      if (/^(semantic|background) epoch 1:/.test(message)) {
        controller.abort();
      }
    };
    await assert.rejects(handleTrain(request, first.context), AbortError);
    assert.ok(!fs.existsSync(request.detectorFolder));
    const folder = request.checkpointFolder as string;
    const saved = (await Promise.all((['semantic', 'background'] as const).map((role) => readTrainingCheckpoint(checkpointFile(folder, role))))).filter(Boolean);
    assert.ok(saved.length >= 1, 'a model saved its first epoch before the stop');

    const second = recordingContext();
    await handleTrain(request, second.context);
    const resumed = second.logs.filter((line) => /model: going on from its checkpoint in .* after epoch [123]$/.test(line));
    assert.equal(resumed.length, saved.length, second.logs.join('\n'));
    assert.ok(fs.existsSync(path.join(request.detectorFolder, 'manifest.json')));
  });

  it('sets aside a checkpoint of other training in its folder with a warning, and trains afresh', async () => {
    const folder = request.checkpointFolder as string;
    // Training of the same images at another batch size, stopped after an epoch: its checkpoint is not this training's.
    const controller = new AbortController();
    const earlier = recordingContext(controller.signal);
    earlier.context.log = (_level, message) => {
      if (/epoch 1:/.test(message)) {
        controller.abort();
      }
    };
    await assert.rejects(handleTrain({ ...request, settings: { ...request.settings, batchSize: 4 } }, earlier.context), AbortError);
    const stale = await Promise.all(['semantic', 'background'].map((role) => readTrainingCheckpoint(checkpointFile(folder, role as 'semantic'))));
    assert.ok(stale.some(Boolean), 'the other training left a checkpoint');

    const { context, logs, progress } = recordingContext();
    const result = await handleTrain(request, context);
    // Each model sets its own aside as it starts: no training is begun and then restarted.
    const trainingDone = progress.filter((update) => update.phase === 'training').map((update) => update.done);
    assert.ok(trainingDone.every((done, index) => index === 0 || done >= trainingDone[index - 1]), trainingDone.join(' '));
    assert.ok(logs.some((line) => /^warn: .*\.checkpoint: a checkpoint of other training \(the (semantic|background) model, with other images or settings\): starting afresh$/.test(line)), logs.join('\n'));
    assert.ok(!logs.some((line) => line.includes('going on from its checkpoint')));
    assert.ok(fs.existsSync(path.join(result.detectorFolder, 'manifest.json')));
    assert.ok(!fs.existsSync(folder));
  });
});
