import type { EngineService } from './engine/engineService';
import type { ResultsPanel } from './panel/resultsPanel';
import type { ResultCache } from './results/resultCache';
import type { ResultsModel } from './results/resultsModel';
import type { OutputLog } from './ui/outputLog';

/** What the command workflows share; built once in `activate`. */
export interface ExtensionServices {
  readonly engine: EngineService;
  readonly model: ResultsModel;
  readonly log: OutputLog;
  readonly cache: ResultCache;
  readonly panel: ResultsPanel;
  /** Detectors trained on folders outside every workspace folder go here. */
  readonly globalDetectorRoot: string;
  /** Scratch space for sample images. */
  readonly storageFolder: string;
  /** The extension's version, written into exports. */
  readonly toolVersion: string;
  /** The backend the engine reported, for exports and the side view. */
  backendDescription(): string | null;
}
