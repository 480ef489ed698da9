/** Streamed scan results: the JSON Lines result log, shards, and exports written from logs. */
export type { FailedRecord, ResultLogEnd, ResultLogHeader, ResultLogRecord, ScanIdentity, ScoredRecord, ShardSpec } from './resultRecord';
export { RESULT_LOG_FORMAT, resultLogHeader, sameScan } from './resultRecord';
export { readResultLog, ResultLogError } from './resultLogReader';
export type { ResultLogSummary } from './resultLogReader';
export { ResultLogWriter } from './resultLogWriter';
export type { LoggedResults } from './resultLogWriter';
export { parseShardSpec, shardOf, WHOLE_FOLDER } from './shard';
export { indexResultLogs } from './resultIndex';
export type { IndexedLog, ResultIndex } from './resultIndex';
export { checkShardSet, ShardSetError } from './shardSet';
export { DEFAULT_EXPORT_PERCENTILE, exportThreshold } from './exportThreshold';
export type { ExportThresholdRequest } from './exportThreshold';
export { writeExportFromIndex } from './exportFromLogs';
export type { ExportSummary, ExportTargets } from './exportFromLogs';
