import { createHash } from 'node:crypto';
import type { ShardSpec } from './resultRecord';

/** Every file of a scan in one shard. */
export const WHOLE_FOLDER: ShardSpec = { index: 0, count: 1 };

/**
 * The shard (0 … count − 1) a file belongs to: by a hash of its relative path alone, so every
 * machine agrees, and adding or removing files moves no other file to another shard.
 */
export function shardOf(relativePath: string, count: number): number {
  if (count === 1) return 0;
  return createHash('sha1').update(relativePath).digest().readUInt32BE(0) % count;
}

/** Parses "i/n" (0 ≤ i < n); throws a message that says what was wrong. */
export function parseShardSpec(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !(count >= 1) || !(index >= 0 && index < count)) {
    throw new Error(`a shard is i/n with 0 ≤ i < n (e.g. 0/4 … 3/4), got '${text}'`);
  }
  return { index, count };
}
