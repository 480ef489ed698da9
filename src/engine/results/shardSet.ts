import type { IndexedLog } from './resultIndex';
import { sameScan } from './resultRecord';

/** A set of shard logs that does not make one whole scan, with every problem found. */
export class ShardSetError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the shards do not make one whole scan:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Checks that `logs` are the shards 0 … n − 1 of one scan, each once and each finished, and that
 * no image is in two of them; throws a ShardSetError naming each missing, repeated, unfinished or
 * foreign shard (and what to rerun).
 */
export function checkShardSet(logs: readonly IndexedLog[], duplicatePaths: readonly string[]): void {
  const problems: string[] = [];
  if (logs.length === 0) throw new ShardSetError(['no result logs given']);
  const first = logs[0].header;
  const count = first.shard.count;
  const filesOf = new Map<number, string[]>();
  for (const log of logs) {
    const { header } = log;
    if (!sameScan(header, first)) {
      problems.push(`${log.file} is a scan of ${header.folder} with ${header.detector.name} (${header.detector.manifestSha256.slice(0, 12)}), not of ${first.folder} with ${first.detector.name} (${first.detector.manifestSha256.slice(0, 12)}) like ${logs[0].file}`);
      continue;
    }
    if (header.shard.count !== count) {
      problems.push(`${log.file} is shard ${header.shard.index}/${header.shard.count}, but ${logs[0].file} is one of ${count}`);
      continue;
    }
    filesOf.set(header.shard.index, [...(filesOf.get(header.shard.index) ?? []), log.file]);
    if (!log.finished) problems.push(`${log.file} (shard ${header.shard.index}/${count}) is unfinished: run that shard again (it goes on from its log)`);
  }
  const missing = Array.from({ length: count }, (_, index) => index).filter((index) => !filesOf.has(index));
  if (missing.length > 0) problems.push(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')}`);
  for (const [index, files] of [...filesOf].sort((a, b) => a[0] - b[0])) {
    if (files.length > 1) problems.push(`shard ${index}/${count} given ${files.length} times: ${files.join(', ')}`);
  }
  if (duplicatePaths.length > 0 && problems.length === 0) {
    problems.push(`${duplicatePaths.length} image${duplicatePaths.length > 1 ? 's' : ''} in more than one shard, e.g. ${duplicatePaths.slice(0, 3).join(', ')}`);
  }
  if (problems.length > 0) throw new ShardSetError(problems);
}
