/**
 * The typed protocol between the extension host and the engine worker process
 * (`child_process.fork(dist/engine.js)` with `serialization: 'advanced'`, so typed arrays travel as they are).
 *
 * Rules both sides keep:
 * - Every request carries a `requestId` unique for the worker's life; every event about it carries
 *   `inReplyTo` with that id. A request ends with exactly one `done` or one `error`.
 * - `cancel` stops a request within one batch; it then ends with an `error` whose `cancelled` is true.
 *   A worker that does not end it within a few seconds is killed by the host.
 * - `progress` is throttled by the worker to about 4 per second per request.
 * - One backend per process: the host names it when it forks the worker (`--backend <choice>`,
 *   `engineArguments`), and starts a new worker to change it. Requests carry no backend.
 */
import type { BackendChoice, BackendName, DetectorManifest, DetectorThreshold, FitProgress, ModelRole, PresetName, ThresholdRequest } from './detector';
import type { FailedImage, PixelMaps, ScoredImage, SignalGroup } from './scanResults';

/**
 * A file a previous scan already scored: the key (path, size, mtime) of the result cache, and the
 * digest of its bytes where that key was in doubt (see ScoredImage.contentDigest).
 */
export interface KnownFile {
  readonly relativePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly contentDigest?: string;
}

/** Training settings the user may override; the rest comes from the preset. */
export interface TrainSettings {
  readonly preset: PresetName;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly mutationRate?: number;
  readonly l2Background?: number;
}

/** Fields every request shares. */
interface RequestBase {
  /** Unique per worker; echoed as `inReplyTo` by every event about this request. */
  readonly requestId: number;
}

/** Every backend choice, as the setting and `--backend` name them. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

/** The engine process's arguments: the backend it runs on for its whole life. */
export function engineArguments(backend: BackendChoice): string[] {
  return ['--backend', backend];
}

/** The backend named by `engineArguments` in a process's arguments; throws, naming what it found, when there is none. */
export function backendFromArguments(argv: readonly string[]): BackendChoice {
  const at = argv.indexOf('--backend');
  const value = at >= 0 ? argv[at + 1] : undefined;
  const choice = BACKEND_CHOICES.find((candidate) => candidate === value);
  if (!choice) throw new Error(`the engine process needs --backend ${BACKEND_CHOICES.join('|')}, got ${value === undefined ? 'none' : `'${value}'`}`);
  return choice;
}

// ───────────────────────────── host → engine ─────────────────────────────

/** Train a detector on the images of `folder` and save it (atomically) as `detectorFolder`. */
export interface TrainRequest extends RequestBase {
  readonly type: 'train';
  readonly folder: string;
  readonly detectorFolder: string;
  readonly detectorName: string;
  readonly settings: TrainSettings;
  /** [height, width], or null to take it from the first readable image. */
  readonly imageSize: readonly [number, number] | null;
  /** 1 (gray) or 3 (RGB), or null to take it from the first readable image. */
  readonly channels: 1 | 3 | null;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /**
   * Where each model's training is saved after every epoch, so that training on the same images
   * with the same settings, cancelled or cut short, goes on from there next time; null for none.
   */
  readonly checkpointFolder: string | null;
}

/** Score every image of `folder` with the detector, streaming `scanChunk`s; files in `known` unchanged on disk are skipped. */
export interface ScanRequest extends RequestBase {
  readonly type: 'scan';
  readonly folder: string;
  readonly detectorFolder: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly known: readonly KnownFile[];
  /** Signal groups to use; default all. */
  readonly signals?: readonly SignalGroup[];
}

/** Per-pixel semantic, background and LLR maps of one image of `folder`. */
export interface PixelMapsRequest extends RequestBase {
  readonly type: 'pixelMaps';
  readonly folder: string;
  readonly detectorFolder: string;
  readonly relativePath: string;
}

/** Draw `count` images from one of the detector's models (raw pixels, and a PNG grid when `png` is set). */
export interface SampleRequest extends RequestBase {
  readonly type: 'sample';
  readonly detectorFolder: string;
  readonly role: ModelRole;
  readonly count: number;
  readonly seed: number;
  readonly png: boolean;
}

/** Set the detector's threshold (percentile or FPR over the images of `folder`, or a value) and save it in the detector folder. */
export interface InferThresholdRequest extends RequestBase {
  readonly type: 'inferThreshold';
  readonly detectorFolder: string;
  /** The images to score; null for an absolute threshold. */
  readonly folder: string | null;
  readonly request: ThresholdRequest;
}

/** PNG bytes of an image the webview cannot show itself (TIFF). */
export interface DisplayImageRequest extends RequestBase {
  readonly type: 'displayImage';
  readonly path: string;
}

/** Write the demo data set (Fashion-MNIST inliers, MNIST outliers, broken files) into a new folder. */
export interface WriteDemoDataRequest extends RequestBase {
  readonly type: 'writeDemoData';
  /** Must not exist yet: the demo never writes over a user's files. */
  readonly folder: string;
}

/** Stop the request `target` within one batch. */
export interface CancelRequest {
  readonly type: 'cancel';
  readonly target: number;
}

/** A request that ends with `done` or `error`. */
export type EngineRequest = TrainRequest | ScanRequest | PixelMapsRequest | SampleRequest | InferThresholdRequest | DisplayImageRequest | WriteDemoDataRequest;

/** Every message the host sends to the engine. */
export type ToEngineMessage = EngineRequest | CancelRequest;

// ───────────────────────────── engine → host ─────────────────────────────

/** What a request is doing now: a phase, a count, and for training the step, loss, bits/dim and ETA. */
export interface ProgressEvent {
  readonly type: 'progress';
  readonly inReplyTo: number;
  readonly phase: 'loading' | 'decoding' | 'training' | 'scanning' | 'sampling';
  readonly done: number;
  readonly total: number;
  /** Set while training. */
  readonly training?: FitProgress;
}

/** A line for the output channel. */
export interface LogEvent {
  readonly type: 'log';
  /** The request it is about, or null for the worker itself. */
  readonly inReplyTo: number | null;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

/** The worker started its backend (sent once, before the first result). */
export interface BackendEvent {
  readonly type: 'backend';
  readonly name: BackendName;
  /** For example "wasm: XNNPACK, SIMD, 1 thread" or "webgpu: NVIDIA H100 (vulkan)". */
  readonly description: string;
}

/** Results of a scan as they are computed. The first chunk lists the known files found unchanged (not rescored). */
export interface ScanChunkEvent {
  readonly type: 'scanChunk';
  readonly inReplyTo: number;
  readonly items: readonly ScoredImage[];
  readonly failures: readonly FailedImage[];
  /** Paths of `ScanRequest.known` files still on disk with the same size and mtime. */
  readonly unchanged?: readonly string[];
}

/** Result of a train request. */
export interface TrainResult {
  readonly kind: 'train';
  readonly detectorFolder: string;
  readonly manifest: DetectorManifest;
  /** Files of the folder that could not be decoded (skipped for training). */
  readonly failures: readonly FailedImage[];
}

/** Result of a scan request (the items came in `scanChunk`s). */
export interface ScanResultSummary {
  readonly kind: 'scan';
  readonly fileCount: number;
  readonly scored: number;
  readonly failed: number;
  readonly skipped: number;
  readonly seconds: number;
  /** Duplicate groups among the images scored this time, as paths (the streamed items lack these folder reasons). */
  readonly duplicates?: { readonly exact: string[][]; readonly near: string[][] };
}

/** Result of a pixel-maps request. */
export interface PixelMapsResult {
  readonly kind: 'pixelMaps';
  readonly maps: PixelMaps;
}

/** Result of a sample request: `count × height × width × channels` bytes, row-major, and an optional PNG grid. */
export interface SampleResult {
  readonly kind: 'sample';
  readonly role: ModelRole;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly pixels: Uint8Array;
  readonly png: Uint8Array | null;
}

/** Result of an inferThreshold request (already saved in the detector folder). */
export interface InferThresholdResult {
  readonly kind: 'inferThreshold';
  readonly threshold: DetectorThreshold;
}

/** Result of a displayImage request. */
export interface DisplayImageResult {
  readonly kind: 'displayImage';
  readonly png: Uint8Array;
}

/** Result of a writeDemoData request: what the folder holds, relative to it. */
export interface WriteDemoDataResult {
  readonly kind: 'writeDemoData';
  readonly folder: string;
  readonly inliers: { readonly folder: string; readonly count: number };
  readonly outliers: { readonly folder: string; readonly count: number };
  readonly broken: readonly string[];
}

/** The result of any request. */
export type EngineResult = TrainResult | ScanResultSummary | PixelMapsResult | SampleResult | InferThresholdResult | DisplayImageResult | WriteDemoDataResult;

/** A request finished. */
export interface DoneEvent {
  readonly type: 'done';
  readonly inReplyTo: number;
  readonly result: EngineResult;
}

/** A request failed or was cancelled; `message` is shown to the user. */
export interface ErrorEvent {
  readonly type: 'error';
  readonly inReplyTo: number;
  readonly message: string;
  /** True when the request stopped because of `cancel`. */
  readonly cancelled: boolean;
}

/** Every message the engine sends to the host. */
export type FromEngineMessage = ProgressEvent | LogEvent | BackendEvent | ScanChunkEvent | DoneEvent | ErrorEvent;

/** The result type each request resolves to. */
export interface ResultFor {
  readonly train: TrainResult;
  readonly scan: ScanResultSummary;
  readonly pixelMaps: PixelMapsResult;
  readonly sample: SampleResult;
  readonly inferThreshold: InferThresholdResult;
  readonly displayImage: DisplayImageResult;
  readonly writeDemoData: WriteDemoDataResult;
}
