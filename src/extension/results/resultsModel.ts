import type { ThresholdSetting } from '../../protocol/scanResults';
import type { RankingSettings } from '../../protocol/webview';
import type { FolderFindings } from './folderFindings';
import { sameRanking, usableRanking } from './ranking';
import { FolderJudge } from './folderJudge';
import { FolderJudgeClient } from './folderJudgeClient';
import { PreviousRankings } from './previousRankings';
import type { ResultSet } from './resultSet';
import { followScores, initialThreshold } from './thresholdPolicy';

/** Who changed the threshold: each view ignores its own changes (no echo). */
export type ThresholdSource = 'panel' | 'sideView' | 'host';

/** What changed in the model. */
export type ResultsChange =
  | { readonly kind: 'resultSet' }
  | { readonly kind: 'results' }
  | { readonly kind: 'threshold'; readonly source: ThresholdSource }
  | { readonly kind: 'job'; readonly running: boolean }
  | { readonly kind: 'selection' };

/**
 * The extension's current state for the views and the export: the result set shown, the
 * threshold the user set (panel or side view), and whether a job is running.
 */
export class ResultsModel {
  private current: ResultSet | null = null;
  /** The set shown before the current one, still open. */
  private previous: ResultSet | null = null;
  private setting: ThresholdSetting = { value: 0, method: 'absolute' };
  private unsubscribe: (() => void) | null = null;
  private folderJudge: FolderJudge | null = null;
  /** The thread that judges folder reasons, shared by every result set shown. */
  private readonly judgeClient = new FolderJudgeClient();
  private readonly listeners = new Set<(change: ResultsChange) => void>();
  private runningJobs = 0;
  /** The result-set revision the percentile value was computed for. */
  private followedRevision = -1;
  /** Rankings that retrained detectors replaced, for the panel's comparison. */
  readonly previousRankings = new PreviousRankings();

  /** `onJudgeError` hears why a folder judgement failed (it is tried again at the next change). */
  constructor(private readonly onJudgeError: (message: string) => void = () => undefined) {}

  /** The result set shown, if any. */
  get resultSet(): ResultSet | null {
    return this.current;
  }

  /** The threshold in force; a percentile threshold's value follows the scores, recomputed when read after a change. */
  get threshold(): ThresholdSetting {
    const resultSet = this.current;
    if (resultSet && this.setting.method === 'percentile' && this.followedRevision !== resultSet.revision) {
      this.setting = followScores(this.setting, resultSet.scores());
      this.followedRevision = resultSet.revision;
    }
    return this.setting;
  }

  /** The detector's own threshold for the shown results (what Reset goes back to), its percentile's value computed on them. */
  get detectorThreshold(): ThresholdSetting | null {
    const resultSet = this.current;
    return resultSet ? followScores(initialThreshold(resultSet.detector.manifest, resultSet.ranking.mode), resultSet.scores()) : null;
  }

  /** Whether an engine job runs now. */
  get jobRunning(): boolean {
    return this.runningJobs > 0;
  }

  /**
   * Shows a new result set; its threshold starts from the detector's. The set shown before stays
   * readable (a retrain compares it with the new one); the one before that closes its store.
   */
  show(resultSet: ResultSet): void {
    this.unsubscribe?.();
    this.folderJudge?.dispose();
    if (this.current !== resultSet) {
      if (this.previous !== resultSet) this.previous?.dispose();
      this.previous = this.current;
    }
    this.current = resultSet;
    // Folder reasons (odd sizes, duplicates) are judged here over every image, cached or rescored.
    this.folderJudge = new FolderJudge(resultSet, this.judgeClient, (message) => this.onJudgeError(message));
    this.setting = initialThreshold(resultSet.detector.manifest, resultSet.ranking.mode);
    this.followedRevision = -1;
    // The views read the threshold at their own (throttled) pace: a streaming scan does not sort per chunk.
    this.unsubscribe = resultSet.onDidChange(() => this.emit({ kind: 'results' }));
    this.emit({ kind: 'resultSet' });
  }

  /** The shown set's folder findings over every image it holds now (judged first if they are not): what an export writes. */
  async folderFindingsNow(): Promise<FolderFindings | null> {
    return this.folderJudge ? this.folderJudge.current() : null;
  }

  /** Stops the judging thread. */
  dispose(): void {
    this.folderJudge?.dispose();
    this.judgeClient.dispose();
  }

  /** The user set the threshold in one of the views. */
  setThreshold(setting: ThresholdSetting, source: ThresholdSource): void {
    if (!Number.isFinite(setting.value)) {
      return;
    }
    this.setting = setting;
    this.followedRevision = -1;
    this.emit({ kind: 'threshold', source });
  }

  /**
   * The user switched the ranking, a signal or a cut: the shown set re-ranks; a new mode starts
   * from its own default threshold (outlier score 2, or the detector's LLR threshold). An
   * uncalibrated detector's scan stays on the LLR.
   */
  setRanking(settings: RankingSettings): void {
    const resultSet = this.current;
    if (!resultSet) return;
    const usable = usableRanking(settings, resultSet.detector.manifest.calibration != null);
    const previous = resultSet.ranking;
    if (sameRanking(usable, previous)) return;
    if (usable.mode !== previous.mode) {
      this.setting = initialThreshold(resultSet.detector.manifest, usable.mode);
      this.followedRevision = -1;
    }
    resultSet.setRanking(usable);
    if (usable.mode !== previous.mode) this.emit({ kind: 'threshold', source: 'panel' });
  }

  /** The user changed the gallery's selection (paths not in the results are dropped). */
  setSelection(selected: readonly string[]): void {
    const resultSet = this.current;
    if (resultSet) {
      resultSet.selected = selected.filter((entry) => resultSet.has(entry));
      this.emit({ kind: 'selection' });
    }
  }

  /** A job started (true) or ended (false). */
  jobStateChanged(running: boolean): void {
    this.runningJobs = Math.max(0, this.runningJobs + (running ? 1 : -1));
    this.emit({ kind: 'job', running: this.jobRunning });
  }

  /** Listens to changes; returns the unsubscribe function. */
  onDidChange(listener: (change: ResultsChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: ResultsChange): void {
    for (const listener of this.listeners) {
      listener(change);
    }
  }
}
