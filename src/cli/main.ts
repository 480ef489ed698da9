import { benchFmnistMnistCommand } from './commands/benchFmnistMnist';
import { dataCommand } from './commands/data';
import { sampleCommand } from './commands/sample';
import { scanCommand } from './commands/scan';
import { thresholdCommand } from './commands/threshold';
import { trainCommand } from './commands/train';
import { UsageError } from './usageError';

const USAGE = `Outlier Lens: out-of-distribution images by likelihood ratios (Ren et al. 2019)

usage:
  outlier-lens train <folder> -o <detector> [--preset seed|fast] [--epochs N] [--batch-size N]
        [--learning-rate R] [--learning-rate-schedule constant|linear] [--mutation-rate 0.2] [--l2-background λ] [--size HxW] [--channels 1|3]
        [--limit N] [--seed N] [--include GLOB] [--exclude GLOB] [--backend auto|webgpu|tensorflow|wasm|cpu]
        [--checkpoint DIR]
  outlier-lens threshold <detector> <folder> (--perc P | --fpr F | --value V)
  outlier-lens scan <folder> -d <detector> [--signals llr,typicality,checks,duplicates] [--json out.json|-] [--csv out.csv] [--perc P] [--top N]
  outlier-lens sample <detector> -n 16 -o samples.png [--model semantic|background]
  outlier-lens data fashion-mnist|mnist --split train|test -o <folder> [--limit N] [--by-label]
  outlier-lens bench fmnist-mnist [--preset seed|fast] [--train-limit N] [--test-limit N] [--backend …]
        [--epochs N] [--batch-size N] [--learning-rate R] [--learning-rate-schedule constant|linear]
        [--score-batch-size N] [--fashion-mnist-dir D] [--mnist-dir D] [--checkpoint DIR]

Every command takes --json for machine-readable output on stdout (scan: --json - prints the export).
Exit codes: 0 ok, 1 failure, 2 bad usage.`;

type Command = (argv: string[]) => Promise<void>;

/** Commands by name. */
const COMMANDS: Record<string, Command> = {
  train: trainCommand,
  threshold: thresholdCommand,
  scan: scanCommand,
  sample: sampleCommand,
  data: dataCommand,
  bench: async (argv) => {
    if (argv[0] !== 'fmnist-mnist') {
      throw new UsageError(`unknown benchmark '${argv[0] ?? ''}': the benchmark is fmnist-mnist`);
    }
    await benchFmnistMnistCommand(argv.slice(1));
  },
};

/** Runs the command line `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) {
      throw new UsageError(`unknown command '${name}'`);
    }
    await command(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`outlier-lens: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`outlier-lens: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`outlier-lens: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
