import type { AdamSettings, AdamState } from '../../pixelcnn/flatAdam';
import type { ImageShape, PixelCnnConfig } from '../../pixelcnn/types';
import type { ExecutionProvider, SyncInput, SyncSession } from '../syncSession';
import { createSyncSession } from '../syncSession';
import { fillStepDropoutMasks } from './dropoutMasks';
import type { VariableSpec } from './flatWeights';
import type { StepGraph } from './stepGraph';
import { STEP_GRAPH_IO, stepGraph } from './stepGraph';

/** What a graph trainer is made for. */
export interface GraphTrainerSpec {
  readonly config: PixelCnnConfig;
  readonly imageShape: ImageShape;
  /** The model's variables in creation order (the flat vector's order). */
  readonly variables: readonly VariableSpec[];
  readonly adam: AdamSettings;
  /** ONNX Runtime's intra-op threads (1: one model per core). */
  readonly threads?: number;
  /** The execution provider (default `cpu`); `webgpu` is the package's Dawn-based one, `cuda` needs ONNX Runtime's CUDA libraries. */
  readonly provider?: ExecutionProvider;
}

/** A session on `provider`; a provider that cannot start (no GPU adapter) is an error saying so in one line. */
function createProviderSession(model: Uint8Array, threads: number, provider: ExecutionProvider): SyncSession | null {
  try {
    return createSyncSession(model, threads, provider);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new Error(`ONNX Runtime's ${provider} provider cannot run the training graph here: ${reason}${provider === 'cuda' ? CUDA_HINT : ''}`);
  }
}

/** What the CUDA provider needs, which the npm registry does not carry. */
const CUDA_HINT =
  " (its libraries, libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so, come from onnxruntime-node's install script, which fetches them unless npm's onnxruntime-node-install is 'skip', and need CUDA 12 and cuDNN 9)";

/** One step's session and the dropout masks it is fed. */
interface BatchSession {
  readonly session: SyncSession;
  readonly graph: StepGraph;
  readonly masks: Float32Array[];
}

/**
 * Trains a PixelCNN++ by running the whole step graph ({@link stepGraph}) on ONNX Runtime (CPU
 * provider, or WebGPU, whose inputs and outputs still pass through host memory): the weights and Adam's moments live here as flat vectors, go in each step and come back
 * updated (the runtime's output arrays become the next step's inputs: no copies). One session per
 * batch size, made when first needed (an epoch's last batch may be smaller).
 */
export class GraphTrainer {
  private readonly sessions = new Map<number, BatchSession>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private weightValues: Float32Array;
  private first: Float32Array;
  private second: Float32Array;
  /** β1^t and β2^t accumulated in float32, as FlatAdam does. */
  private accumulatedBeta1: number;
  private accumulatedBeta2: number;
  private stepsTaken = false;

  constructor(private readonly spec: GraphTrainerSpec, initialWeights: Float32Array) {
    this.beta1 = spec.adam.beta1 ?? 0.9;
    this.beta2 = spec.adam.beta2 ?? 0.999;
    this.epsilon = spec.adam.epsilon ?? 1e-7;
    this.weightValues = Float32Array.from(initialWeights);
    this.first = new Float32Array(initialWeights.length);
    this.second = new Float32Array(initialWeights.length);
    this.accumulatedBeta1 = Math.fround(this.beta1);
    this.accumulatedBeta2 = Math.fround(this.beta2);
  }

  /** The current weights, flat in the variables' order (the trainer's own array: copy to keep). */
  get weights(): Float32Array {
    return this.weightValues;
  }

  /**
   * One Adam step on `count` images `pixels` (uint8, [count, H, W, C]) at `learningRate`, dropout
   * masks drawn from `dropoutSeed` as `PixelCnn.trainStep` draws them for passes of
   * `maxImagesPerPass`; returns the batch's loss (mean NLL per image, plus the L2 term).
   */
  step(pixels: Uint8Array, count: number, learningRate: number, dropoutSeed: number, maxImagesPerPass = Number.POSITIVE_INFINITY): number {
    const { session, graph, masks } = this.sessionFor(count);
    fillStepDropoutMasks(masks, graph.dropoutShapes, this.spec.config.dropoutP, dropoutSeed, maxImagesPerPass);
    const vector = (values: Float32Array): SyncInput => ({ values, dims: [values.length] });
    const scalar = (value: number): SyncInput => ({ values: Float32Array.of(value), dims: [] });
    const io = STEP_GRAPH_IO;
    const feeds: Record<string, SyncInput> = {
      [io.pixels]: { values: pixels, dims: [count, ...this.spec.imageShape] },
      [io.weights]: vector(this.weightValues),
      [io.first]: vector(this.first),
      [io.second]: vector(this.second),
      [io.negativeLearningRate]: scalar(-learningRate),
      [io.firstCorrection]: scalar(Math.fround(1 - this.accumulatedBeta1)),
      [io.secondCorrection]: scalar(Math.fround(1 - this.accumulatedBeta2)),
    };
    masks.forEach((mask, index) => {
      feeds[io.dropoutMask(index)] = { values: mask, dims: graph.dropoutShapes[index] };
    });
    const results = session.runAll(feeds, [io.updatedWeights, io.updatedFirst, io.updatedSecond, io.loss]);
    this.weightValues = results[io.updatedWeights].values;
    this.first = results[io.updatedFirst].values;
    this.second = results[io.updatedSecond].values;
    this.accumulatedBeta1 = Math.fround(this.accumulatedBeta1 * Math.fround(this.beta1));
    this.accumulatedBeta2 = Math.fround(this.accumulatedBeta2 * Math.fround(this.beta2));
    this.stepsTaken = true;
    return results[io.loss].values[0];
  }

  /** Adam's state as FlatAdam keeps it (copies), for checkpoints; null before the first step, as there. */
  optimizerState(): AdamState | null {
    if (!this.stepsTaken) {
      return null;
    }
    return { first: Float32Array.from(this.first), second: Float32Array.from(this.second), accumulatedBeta1: this.accumulatedBeta1, accumulatedBeta2: this.accumulatedBeta2 };
  }

  /** Takes up weights and an optimiser state (from a checkpoint), so that the next step is the one that would have followed. */
  restore(weights: Float32Array, state: AdamState | null): void {
    if (weights.length !== this.weightValues.length || (state && state.first.length !== weights.length)) {
      throw new Error(`the checkpoint holds ${weights.length} weights (${state?.first.length ?? 0} moments); this model has ${this.weightValues.length}`);
    }
    this.weightValues = Float32Array.from(weights);
    if (state) {
      this.first = Float32Array.from(state.first);
      this.second = Float32Array.from(state.second);
      this.accumulatedBeta1 = state.accumulatedBeta1;
      this.accumulatedBeta2 = state.accumulatedBeta2;
      this.stepsTaken = true;
    }
  }

  /** Frees the sessions. */
  dispose(): void {
    this.sessions.forEach(({ session }) => session.release());
    this.sessions.clear();
  }

  private sessionFor(count: number): BatchSession {
    let entry = this.sessions.get(count);
    if (!entry) {
      const { config, imageShape, variables } = this.spec;
      const graph = stepGraph({ config, imageShape, batch: count, variables, adam: { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } });
      const provider = this.spec.provider ?? 'cpu';
      const session = createProviderSession(graph.model, this.spec.threads ?? 1, provider);
      if (!session) {
        throw new Error(`onnxruntime-node does not load here: the onnx-${provider} training engine needs it`);
      }
      entry = { session, graph, masks: graph.dropoutShapes.map((shape) => new Float32Array(shape.reduce((product, size) => product * size, 1))) };
      this.sessions.set(count, entry);
    }
    return entry;
  }
}
