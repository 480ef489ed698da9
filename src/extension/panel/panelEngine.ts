import * as path from 'path';
import type { ModelRole } from '../../engine/llr';
import type { PixelMaps } from '../../protocol/scanResults';
import type { ModelTraining, SampleImagePixels } from '../../protocol/webview';
import type { DetectorSummary } from '../detectors/detectorSummary';
import type { EngineService } from '../engine/engineService';
import type { OutputLog } from '../ui/outputLog';
import { trainingCurve } from './trainingCurves';

/** Samples per model in the panel's training view. */
const PANEL_SAMPLE_COUNT = 16;

/** What the panel asks of the engine on the webview's behalf; all of it runs in the worker. */
export class PanelEngine {
  private readonly samples = new Map<string, Promise<SampleImagePixels | undefined>>();

  constructor(private readonly engine: EngineService, private readonly log: OutputLog) {}

  /** Per-pixel maps of one image of a scan. */
  async pixelMaps(folder: string, detector: DetectorSummary, relativePath: string): Promise<PixelMaps> {
    const job = this.engine.request({ type: 'pixelMaps', folder, detectorFolder: detector.folder, relativePath });
    return (await job.result).maps;
  }

  /** PNG bytes of an image the webview cannot show (TIFF). */
  async displayImage(folder: string, relativePath: string): Promise<Uint8Array> {
    const job = this.engine.request({ type: 'displayImage', path: path.join(folder, relativePath) });
    return (await job.result).png;
  }

  /** Curves from the manifest and, when asked, samples drawn by the engine (kept per detector); undefined when the detector kept no history. */
  async training(detector: DetectorSummary, includeSamples: boolean): Promise<{ semantic: ModelTraining; background: ModelTraining } | undefined> {
    const history = detector.manifest.history;
    if (history.length === 0) {
      return undefined;
    }
    const [semanticSamples, backgroundSamples] = includeSamples ? await Promise.all([this.sample(detector, 'semantic'), this.sample(detector, 'background')]) : [undefined, undefined];
    return {
      semantic: { curve: trainingCurve(history, 'semantic'), ...(semanticSamples ? { samples: semanticSamples } : {}) },
      background: { curve: trainingCurve(history, 'background'), ...(backgroundSamples ? { samples: backgroundSamples } : {}) },
    };
  }

  private sample(detector: DetectorSummary, role: ModelRole): Promise<SampleImagePixels | undefined> {
    const key = `${detector.manifestSha256}:${role}`;
    let pending = this.samples.get(key);
    if (!pending) {
      const job = this.engine.request({ type: 'sample', detectorFolder: detector.folder, role, count: PANEL_SAMPLE_COUNT, seed: 0, png: false });
      pending = job.result.then(
        (result) => ({ kind: 'pixels', count: result.count, height: result.height, width: result.width, channels: result.channels, pixels: result.pixels }),
        (error: Error) => {
          this.log.warn(`samples of the ${role} model: ${error.message}`);
          this.samples.delete(key);
          return undefined;
        },
      );
      this.samples.set(key, pending);
    }
    return pending;
  }
}
