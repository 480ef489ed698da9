import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { PendingRequests } from '../../protocol/requestReply';
import type { FolderFindingsMessage } from './folderFindings';
import type { FolderJudgeReply, FolderJudgeRequest } from './folderJudgeMessages';
import type { StorePlace } from './resultStore';

/** The thread's code: the bundle's `folderJudgeThread.js` beside this file, or the TypeScript source under tsx. */
function threadEntry(): { file: string; execArgv: string[] } {
  const bundled = path.join(__dirname, 'folderJudgeThread.js');
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] };
  return { file: path.join(__dirname, 'folderJudgeThread.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

/**
 * The extension host's end of the folder-judging thread: started at the first judgement, one
 * thread for every result set, never keeping the process alive. A thread that dies fails its
 * open requests, and the next judgement starts a new one.
 */
export class FolderJudgeClient {
  private worker: Worker | null = null;
  private readonly pending = new PendingRequests<FolderFindingsMessage>();

  /** Judges the images whose records lie at `places` of the store `file`, in that order. */
  judge(file: string, places: readonly StorePlace[]): Promise<FolderFindingsMessage> {
    const worker = this.started();
    const { requestId, reply } = this.pending.open(undefined);
    const request: FolderJudgeRequest = {
      requestId, file,
      offsets: Float64Array.from(places, (place) => place.offset),
      lengths: Uint32Array.from(places, (place) => place.length),
    };
    worker.postMessage(request);
    return reply;
  }

  /** Stops the thread; open judgements fail. */
  dispose(): void {
    const worker = this.worker;
    this.worker = null;
    this.pending.rejectAll(() => new Error('the folder judgement was stopped'));
    void worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const { file, execArgv } = threadEntry();
    const worker = new Worker(file, { execArgv });
    worker.unref();
    worker.on('message', (reply: FolderJudgeReply) => {
      if ('error' in reply) this.pending.reject(reply.requestId, new Error(reply.error));
      else this.pending.resolve(reply.requestId, reply.findings);
    });
    const ended = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      this.pending.rejectAll(() => error);
    };
    worker.on('error', ended);
    worker.once('exit', (code) => ended(new Error(`the folder judgement thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
