import * as fs from 'fs';
import * as path from 'path';
import type { FailedImage, ScoredImage } from '../../protocol/scanResults';
import type { RecordPlace } from './resultLogReader';
import { lockResultLog } from './resultLogLock';
import { readResultLog, ResultLogError } from './resultLogReader';
import type { KnownFile } from '../../protocol/engine';
import type { ResultLogHeader, ResultLogRecord } from './resultRecord';
import { failedRecord, sameScan, scoredRecord } from './resultRecord';

/** What a log already held when a writer opened it: the scan goes on from there. */
export interface LoggedResults {
  /** The file as it was scored (size, mtime, digest), by path, for each path whose latest record is scored. */
  readonly scored: ReadonlyMap<string, KnownFile>;
  /** Paths whose latest record is a failure. */
  readonly failed: ReadonlySet<string>;
  readonly finished: boolean;
}

/**
 * Appends a scan's results to a JSON Lines log as they come, holding its lock (resultLogLock). Each append is one write of whole
 * lines followed by fsync, so a kill loses at most the chunk being written, and leaves at worst a
 * cut last line, which `open` cuts off before going on.
 */
export class ResultLogWriter {
  private appendedSinceEnd = false;

  private constructor(
    private readonly handle: fs.promises.FileHandle,
    readonly file: string,
    private readonly unlock: () => void,
  ) {}

  /**
   * Opens `file` for `header`'s scan: creates it with the header, or, when it holds results of the
   * same scan and shard, keeps its complete lines and reports what they hold. A log of another
   * scan is refused with a message naming both.
   */
  static async open(file: string, header: ResultLogHeader): Promise<{ writer: ResultLogWriter; logged: LoggedResults }> {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const unlock = lockResultLog(file);
    try {
      return await ResultLogWriter.openLocked(file, header, unlock);
    } catch (error) {
      unlock();
      throw error;
    }
  }

  private static async openLocked(file: string, header: ResultLogHeader, unlock: () => void): Promise<{ writer: ResultLogWriter; logged: LoggedResults }> {
    const scored = new Map<string, KnownFile>();
    const failed = new Set<string>();
    let finished = false;
    if (fs.existsSync(file) && (await fs.promises.stat(file)).size > 0) {
      const summary = await readResultLog(file, (record: ResultLogRecord, _place: RecordPlace) => {
        if (record.kind === 'scored') {
          const { relativePath, size, mtimeMs, contentDigest } = record;
          scored.set(relativePath, contentDigest === undefined ? { relativePath, size, mtimeMs } : { relativePath, size, mtimeMs, contentDigest });
          failed.delete(record.relativePath);
        } else if (record.kind === 'failed') {
          failed.add(record.relativePath);
          scored.delete(record.relativePath);
        }
      }).catch((error: unknown) => {
        if (error instanceof ResultLogError && !isHeaderCut(file)) throw error;
        return null; // killed before the header was whole: start again
      });
      if (summary !== null) {
        const logged = summary.header;
        if (!sameScan(logged, header) || logged.shard.index !== header.shard.index || logged.shard.count !== header.shard.count) {
          throw new ResultLogError(
            `${file} holds results of another scan (${logged.folder} with ${logged.detector.name}, shard ${logged.shard.index}/${logged.shard.count}); ` +
              'remove it or write to another file',
          );
        }
        await fs.promises.truncate(file, summary.completeBytes);
        finished = summary.finished;
        const handle = await fs.promises.open(file, 'a');
        return { writer: new ResultLogWriter(handle, file, unlock), logged: { scored, failed, finished } };
      }
    }
    const handle = await fs.promises.open(file, 'w');
    const writer = new ResultLogWriter(handle, file, unlock);
    await writer.writeLines([header]);
    return { writer, logged: { scored, failed, finished } };
  }

  /** Appends scored images and failures, durably. */
  async append(items: readonly ScoredImage[], failures: readonly FailedImage[]): Promise<void> {
    if (items.length === 0 && failures.length === 0) return;
    this.appendedSinceEnd = true;
    await this.writeLines([...items.map(scoredRecord), ...failures.map(failedRecord)]);
  }

  /** Marks the log finished (its shard's every file is in it), unless it already ends so. */
  async finish(files: number, alreadyFinished: boolean): Promise<void> {
    if (this.appendedSinceEnd || !alreadyFinished) {
      await this.writeLines([{ kind: 'end', files }]);
    }
  }

  /** Closes the file and releases its lock. */
  async close(): Promise<void> {
    try {
      await this.handle.close();
    } finally {
      this.unlock();
    }
  }

  private async writeLines(records: readonly ResultLogRecord[]): Promise<void> {
    await this.handle.write(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    await this.handle.sync();
  }
}

/** Whether `file` holds no complete first line (a kill while the header was written). */
function isHeaderCut(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(1 << 16);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return !head.subarray(0, read).includes(0x0a);
  } finally {
    fs.closeSync(fd);
  }
}
