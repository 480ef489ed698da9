import type { FolderFindings } from './folderFindings';
import { folderFindingsOf, HOST_JUDGE_LIMIT } from './folderFindings';
import type { FolderJudgeClient } from './folderJudgeClient';
import type { ResultSet } from './resultSet';

/** Shortest pause between two judgements while a scan streams. */
const STREAMING_INTERVAL_MS = 2000;
/** While streaming, the pause is at least this many times the last judgement's cost, so the judging thread leaves the cores to the scan. */
const IDLE_FACTOR = 4;
/** Judgements of one revision that failed in a row (the store moved or changed while read) before the judge waits for the next change. */
const MOST_FAILURES = 3;

/**
 * Keeps a result set's folder findings (odd sizes, duplicate groups) judged over all its images,
 * on the judging thread: at most every few seconds while results stream in (longer when judging is
 * slow), and once more, at once, when the scan ends. One judgement at a time.
 */
export class FolderJudge {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private lastCostMs = 0;
  private lastJudgedAt = -Infinity;
  private failures = 0;
  /** The content revision the last failed judgement read. */
  private failedRevision = -1;
  private disposed = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly resultSet: ResultSet, private readonly client: FolderJudgeClient, private readonly onError: (message: string) => void = () => undefined) {
    this.unsubscribe = resultSet.onDidChange(() => this.schedule());
    this.schedule();
  }

  /** Stops judging (another result set is shown). */
  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The findings over every image the set holds now, judged first if they are not (an export waits for them). */
  async current(): Promise<FolderFindings> {
    if (this.running) await this.running;
    if (!this.resultSet.folderFindingsCurrent) await this.judge();
    return this.resultSet.folderFindings;
  }

  private schedule(): void {
    const resultSet = this.resultSet;
    if (this.failures > 0 && resultSet.contentRevision !== this.failedRevision) this.failures = 0;
    if (this.disposed || this.running || resultSet.folderFindingsCurrent || resultSet.scoredCount === 0 || this.failures >= MOST_FAILURES) return;
    const pause = Math.max(STREAMING_INTERVAL_MS, IDLE_FACTOR * this.lastCostMs);
    const wait = resultSet.streaming || this.failures > 0 ? Math.max(0, this.lastJudgedAt + pause - performance.now()) : 0;
    if (this.timer && wait > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.judge(), wait);
  }

  private judge(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running ??= this.judgeOnThread().finally(() => {
      this.running = null;
      if (!this.disposed) this.schedule();
    });
    return this.running;
  }

  private async judgeOnThread(): Promise<void> {
    const resultSet = this.resultSet;
    if (resultSet.folderFindingsCurrent) return;
    const started = performance.now();
    const revision = resultSet.contentRevision;
    const slots = resultSet.slotsByScore();
    try {
      if (slots.length > HOST_JUDGE_LIMIT) {
        resultSet.setFolderFindings({ reasons: new Map(), duplicates: { exact: [], near: [] }, judgedCount: slots.length, skipped: true }, revision);
        return;
      }
      const message = await this.client.judge(resultSet.storeFile, Array.from(slots, (slot) => resultSet.placeAt(slot)));
      // Judged over the set as it was at `revision`: shown at once, and judged again if the set changed since.
      if (!this.disposed) resultSet.setFolderFindings(folderFindingsOf(message), revision);
      this.failures = 0;
    } catch (error) {
      this.failures++;
      this.failedRevision = revision;
      if (!this.disposed) this.onError(`could not judge the folder's duplicates and sizes: ${(error as Error).message}`);
    } finally {
      this.lastCostMs = performance.now() - started;
      this.lastJudgedAt = performance.now();
    }
  }
}
