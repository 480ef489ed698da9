import type { FolderFindings } from './folderFindings';
import { judgeFolderFindings } from './folderFindings';
import type { ResultSet } from './resultSet';

/** Shortest pause between two judgements while a scan streams. */
const STREAMING_INTERVAL_MS = 2000;
/** While streaming, the pause is at least this many times the last judgement's cost, so the host stays mostly idle. */
const IDLE_FACTOR = 4;
/** Past this many images a judgement takes a second or more (docs/panel.md): a streaming scan waits for its end. */
const STREAMING_LIMIT = 10_000;

/**
 * Keeps a result set's folder findings (odd sizes, duplicate groups) judged over all its images:
 * at most every few seconds while results stream in (longer when judging is slow; not at all past
 * {@link STREAMING_LIMIT} images), and once more, at once, when the scan ends. Each judgement runs on a timer, never inside a change listener.
 */
export class FolderJudge {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastCostMs = 0;
  private lastJudgedAt = -Infinity;
  private readonly unsubscribe: () => void;

  constructor(private readonly resultSet: ResultSet) {
    this.unsubscribe = resultSet.onDidChange(() => this.schedule());
    this.schedule();
  }

  /** Stops judging (another result set is shown). */
  dispose(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const resultSet = this.resultSet;
    if (resultSet.folderFindingsCurrent || resultSet.scoredCount === 0) return;
    if (resultSet.streaming && resultSet.scoredCount > STREAMING_LIMIT) return;
    const wait = resultSet.streaming ? Math.max(0, this.lastJudgedAt + Math.max(STREAMING_INTERVAL_MS, IDLE_FACTOR * this.lastCostMs) - performance.now()) : 0;
    if (this.timer && wait > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.judge(), wait);
  }

  private judge(): void {
    this.timer = null;
    const resultSet = this.resultSet;
    if (resultSet.folderFindingsCurrent) return;
    const started = performance.now();
    const revision = resultSet.contentRevision;
    const findings = judgeFolderFindings(resultSet.scoredByScore());
    this.lastCostMs = performance.now() - started;
    this.lastJudgedAt = performance.now();
    resultSet.setFolderFindings(findings, revision);
  }
}

/** The result set's folder findings judged over every image it holds now (judged here if a judgement is due). */
export function currentFolderFindings(resultSet: ResultSet): FolderFindings {
  if (!resultSet.folderFindingsCurrent) resultSet.setFolderFindings(judgeFolderFindings(resultSet.scoredByScore()), resultSet.contentRevision);
  return resultSet.folderFindings;
}
