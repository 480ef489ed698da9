import type { BackendChoice } from '../engine/backend/types';
import { isBackendChoice } from '../engine/backend/types';
import { LEARNING_RATE_SCHEDULES } from '../engine/llr';
import type { LearningRateSchedule } from '../engine/llr';
import type { TrainingEngine } from '../engine/llr/types';
import { TRAINING_ENGINES } from '../engine/llr/types';
import type { PresetName } from '../engine/pixelcnn';
import type { SignalGroup } from '../protocol/scanResults';
import { SIGNAL_GROUPS } from '../protocol/scanResults';
import { UsageError } from './usageError';

/** Parsed flag values as util.parseArgs gives them. */
export type FlagValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** A number flag, checked; undefined when absent. */
export function numberFlag(values: FlagValues, name: string, check: (value: number) => boolean = Number.isFinite): number | undefined {
  const raw = values[name];
  if (raw === undefined) {
    return undefined;
  }
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !check(value)) {
    throw new UsageError(`--${name} needs a valid number, got '${String(raw)}'`);
  }
  return value;
}

/** A positive integer flag. */
export function integerFlag(values: FlagValues, name: string): number | undefined {
  return numberFlag(values, name, (value) => Number.isInteger(value) && value > 0);
}

/** The --backend flag. */
export function backendFlag(values: FlagValues): BackendChoice {
  const raw = (values.backend as string | undefined) ?? 'auto';
  if (!isBackendChoice(raw)) {
    throw new UsageError(`--backend must be auto, webgpu, tensorflow, wasm or cpu, got '${raw}'`);
  }
  return raw;
}

/** The --engine flag: what computes the training steps (default auto). */
export function engineFlag(values: FlagValues): TrainingEngine {
  const raw = (values.engine as string | undefined) ?? 'auto';
  if (!(TRAINING_ENGINES as readonly string[]).includes(raw)) {
    throw new UsageError(`--engine must be ${TRAINING_ENGINES.join(', ')}, got '${raw}'`);
  }
  return raw as TrainingEngine;
}

/** The --preset flag. */
export function presetFlag(values: FlagValues, fallback: PresetName): PresetName {
  const raw = (values.preset as string | undefined) ?? fallback;
  if (raw !== 'seed' && raw !== 'fast') {
    throw new UsageError(`--preset must be seed or fast, got '${raw}'`);
  }
  return raw;
}

/** The --learning-rate-schedule flag (constant | linear), or undefined where not given. */
export function scheduleFlag(values: FlagValues): LearningRateSchedule | undefined {
  const raw = values['learning-rate-schedule'] as string | undefined;
  if (raw !== undefined && !(LEARNING_RATE_SCHEDULES as readonly string[]).includes(raw)) {
    throw new UsageError(`--learning-rate-schedule must be ${LEARNING_RATE_SCHEDULES.join(' or ')}, got '${raw}'`);
  }
  return raw as LearningRateSchedule | undefined;
}

/** The --size flag, "HxW" (e.g. 28x28). */
export function sizeFlag(values: FlagValues): [number, number] | undefined {
  const raw = values.size as string | undefined;
  if (raw === undefined) {
    return undefined;
  }
  const match = /^(\d+)[x×](\d+)$/i.exec(raw.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new UsageError(`--size must be HxW, e.g. 28x28, got '${raw}'`);
  }
  return [Number(match[1]), Number(match[2])];
}

/** The --channels flag. */
export function channelsFlag(values: FlagValues): 1 | 3 | undefined {
  const raw = values.channels as string | undefined;
  if (raw === undefined) {
    return undefined;
  }
  if (raw !== '1' && raw !== '3') {
    throw new UsageError(`--channels must be 1 or 3, got '${raw}'`);
  }
  return Number(raw) as 1 | 3;
}

/** A required positional argument. */
export function positional(positionals: string[], index: number, name: string): string {
  const value = positionals[index];
  if (value === undefined) {
    throw new UsageError(`missing <${name}>`);
  }
  return value;
}

/** A required string flag. */
export function requiredFlag(values: FlagValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`missing --${name}`);
  }
  return value;
}

/** The --signals flag: a comma-separated list of llr, typicality, checks, duplicates (or all); default all. */
export function signalsFlag(values: FlagValues): Set<SignalGroup> {
  const raw = values.signals as string | undefined;
  if (raw === undefined || raw.trim() === 'all') {
    return new Set(SIGNAL_GROUPS);
  }
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(SIGNAL_GROUPS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--signals takes a comma-separated list of ${SIGNAL_GROUPS.join(', ')} (or all), got '${raw}'`);
  }
  return new Set(names as SignalGroup[]);
}
