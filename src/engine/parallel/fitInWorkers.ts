import type { BackendName } from '../backend/types';
import type { FitResult } from '../llr/fit';
import { FitProgressTracker, modelConfigFor, resolveFitConfig, sortHistory, splitValidation } from '../llr/fit';
import type { ImageSet } from '../llr/imageSet';
import type { EpochRecord, FitOptions, ModelRole } from '../llr/types';
import type { PixelCnn } from '../pixelcnn/model';
import { decodeModel } from '../pixelcnn/weightsFile';
import { checkpointFile } from '../store/trainingCheckpoint';
import { ModelWorkerClient } from './modelWorkerClient';
import { shareImages } from './sharedImages';

/**
 * Trains the two models at once, each in its own worker thread (the wasm backend runs on one core
 * per thread), with the same seeds and results as `fitModels`. Cancelling stops both within a batch.
 */
export async function fitModelsInWorkers(images: ImageSet, options: FitOptions, backend: BackendName): Promise<FitResult> {
  const fitConfig = resolveFitConfig(options);
  const started = performance.now();
  const split = splitValidation(images, fitConfig);
  const training = shareImages(split.training);
  const validation = split.validation ? shareImages(split.validation) : null;
  const tracker = new FitProgressTracker(fitConfig, images, options.onProgress);
  const history: EpochRecord[] = [];
  const roles: ModelRole[] = ['semantic', 'background'];
  const workers = await Promise.all(roles.map(() => ModelWorkerClient.start(backend)));
  const cancelAll = (): void => workers.forEach((worker) => worker.cancel());
  options.signal?.addEventListener('abort', cancelAll);
  const models: PixelCnn[] = [];
  try {
    const artifacts = await Promise.all(
      roles.map((role, index) =>
        workers[index]
          .trainModel(
            {
              role, training, validation, fitConfig, modelConfig: modelConfigFor(role, options, fitConfig), lossReadInterval: options.lossReadInterval,
              trainingEngine: options.trainingEngine,
              ...(options.checkpointFolder ? { checkpointFile: checkpointFile(options.checkpointFolder, role) } : {}),
              setAsideUnusableCheckpoint: options.onCheckpointSetAside !== undefined,
            },
            {
              onStep: (epoch, step, stepsPerEpoch, loss) => tracker.step(role, epoch, step, stepsPerEpoch, loss),
              onEpoch: (record) => {
                history.push(record);
                options.onEpoch?.(record);
              },
              onResume: (epochsDone) => options.onResume?.(role, epochsDone),
              onCheckpointSetAside: (reason) => options.onCheckpointSetAside?.(role, reason),
            },
          )
          .catch((error: unknown) => {
            cancelAll(); // one model failing stops the other
            throw error;
          }),
      ),
    );
    for (const [index, role] of roles.entries()) {
      models.push(decodeModel(artifacts[index], `${role} model`));
    }
  } catch (error) {
    models.forEach((model) => model.dispose());
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', cancelAll);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { semantic: models[0], background: models[1], fitConfig, history: sortHistory(history), seconds: (performance.now() - started) / 1000 };
}
