// The thread that judges a folder's rules (odd sizes, duplicates) for the extension host: reading
// every stored image and grouping them takes seconds at 100,000 images, which the editor's own
// thread must never spend. One request at a time; each names the store and its records' places.
import { parentPort } from 'worker_threads';
import { judgeFolderFindings, readMeasuredImages } from './folderJudgement';
import type { FolderJudgeReply, FolderJudgeRequest } from './folderJudgeMessages';

const port = parentPort;
if (!port) throw new Error('folderJudgeThread runs as a worker thread');

port.on('message', (request: FolderJudgeRequest) => {
  let reply: FolderJudgeReply;
  try {
    const places = Array.from(request.offsets, (offset, i) => ({ offset, length: request.lengths[i] }));
    reply = { requestId: request.requestId, findings: judgeFolderFindings(readMeasuredImages(request.file, places)) };
  } catch (error) {
    reply = { requestId: request.requestId, error: (error as Error).message };
  }
  port.postMessage(reply);
});
