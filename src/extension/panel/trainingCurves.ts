import type { EpochRecord, ModelRole } from '../../engine/llr';
import type { TrainingCurve } from '../../protocol/webview';

/** One model's training curve from a manifest's epoch history (validation only when every epoch has it). */
export function trainingCurve(history: readonly EpochRecord[], role: ModelRole): TrainingCurve {
  const records = history.filter((record) => record.model === role).sort((a, b) => a.epoch - b.epoch);
  const validation = records.every((record) => record.validationBitsPerDim !== null) && records.length > 0
    ? Float32Array.from(records, (record) => record.validationBitsPerDim as number)
    : undefined;
  return {
    epochs: Float32Array.from(records, (record) => record.epoch),
    loss: Float32Array.from(records, (record) => record.loss),
    bitsPerDim: Float32Array.from(records, (record) => record.bitsPerDim),
    ...(validation ? { validationBitsPerDim: validation } : {}),
  };
}
