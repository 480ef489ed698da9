import type { JobSink } from '../engine/jobs/jobSink';
import { formatDuration } from './reporter';
import type { Reporter } from './reporter';

/** A job's progress as the CLI's progress bar (training: one model's epoch, loss and ETA) and its log as notes. */
export function cliJobSink(reporter: Reporter): JobSink {
  return {
    progress: ({ phase, done, total, training }) => {
      if (training) {
        reporter.progress(
          `${training.model.padEnd(10)} epoch ${training.epoch}/${training.epochs}`,
          training.step,
          training.stepsPerEpoch,
          `loss ${training.loss.toFixed(1)} · ${training.bitsPerDim.toFixed(3)} bits/dim · ETA ${formatDuration(training.etaSeconds)}`,
        );
      } else if (total > 0) {
        reporter.progress(phase, done, total);
      }
    },
    log: (_level, message) => reporter.note(message),
  };
}
