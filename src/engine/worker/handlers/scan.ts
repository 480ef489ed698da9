import { isUnchanged, runScanJob } from '../../scan';
import { signalFindingNotes, signalPlanNotes } from '../../signals';
import { SIGNAL_GROUPS } from '../../../protocol/scanResults';
import type { KnownFile, ScanRequest, ScanResultSummary } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';

/**
 * Scores the folder, streaming chunks as batches finish. Known files that are unchanged (see
 * isUnchanged) are skipped; their paths go out first, so the host can keep their cached results
 * (and drop those of files that are gone).
 */
export async function handleScan(request: ScanRequest, context: RequestContext): Promise<ScanResultSummary> {
  await context.backend();
  context.progress({ phase: 'loading', done: 0, total: 0 });
  const lease = await context.detectors.acquire(request.detectorFolder);
  try {
    const known = new Map<string, KnownFile>(request.known.map((file) => [file.relativePath, file]));
    const unchanged: string[] = [];
    let unchangedSent = false;
    const sendUnchanged = (): void => {
      if (!unchangedSent) {
        unchangedSent = true;
        context.send({ type: 'scanChunk', inReplyTo: context.requestId, items: [], failures: [], unchanged });
      }
    };
    const signals = new Set(request.signals ?? SIGNAL_GROUPS);
    const calibration = lease.manifest.calibration;
    signalPlanNotes(signals, calibration).forEach((note) => context.log('info', note));
    const result = await runScanJob({
      folder: request.folder,
      detector: lease.detector,
      signals,
      calibration,
      include: request.include,
      exclude: request.exclude,
      signal: context.signal,
      // the scan asks about every walked file before it decodes any: `unchanged` is complete by the first chunk.
      skip: async (entry) => {
        const same = await isUnchanged(known.get(entry.relativePath), entry);
        if (same) {
          unchanged.push(entry.relativePath);
        }
        return same;
      },
      onChunk: (chunk) => {
        sendUnchanged();
        context.send({ type: 'scanChunk', inReplyTo: context.requestId, items: chunk.items, failures: chunk.failures });
      },
      onProgress: (done, total) => {
        sendUnchanged();
        context.progress({ phase: 'scanning', done, total });
      },
    });
    sendUnchanged();
    signalFindingNotes({ scored: result.scored, greyAsRgb: result.greyAsRgb, duplicates: result.duplicates }).forEach((note) => context.log('info', note));
    return {
      kind: 'scan',
      fileCount: result.fileCount,
      scored: result.scored,
      failed: result.failed,
      skipped: result.alreadyDone,
      seconds: result.seconds,
      duplicates: result.duplicates,
    };
  } finally {
    lease.release();
  }
}
