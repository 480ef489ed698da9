import type { FitConfig, LearningRateSchedule } from './types';

/** The schedules `FitConfig.learningRateSchedule` accepts. */
export const LEARNING_RATE_SCHEDULES: readonly LearningRateSchedule[] = ['constant', 'linear'];

/**
 * The step size of step `step` (0-based) of `totalSteps`: `learningRate` throughout, or, for
 * `linear`, falling in equal decrements from `learningRate` at the first step towards 0 (the last
 * step takes 1 / totalSteps of it), so that training ends on small steps instead of wherever the
 * last large step left the weights.
 */
export function scheduledLearningRate(fitConfig: Pick<FitConfig, 'learningRate' | 'learningRateSchedule'>, step: number, totalSteps: number): number {
  if (fitConfig.learningRateSchedule === 'constant') {
    return fitConfig.learningRate;
  }
  return (fitConfig.learningRate * (totalSteps - step)) / totalSteps;
}
