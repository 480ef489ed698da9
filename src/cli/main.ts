import { benchFmnistMnistCommand } from './commands/benchFmnistMnist';
import { dataCommand } from './commands/data';
import { mergeCommand } from './commands/merge';
import { sampleCommand } from './commands/sample';
import { scanCommand } from './commands/scan';
import { thresholdCommand } from './commands/threshold';
import { trainCommand } from './commands/train';
import { version } from '../../package.json';
import { asksForHelp, commandUsage, isParseArgsError, parseErrorMessage } from './usage';
import { UsageError } from './usageError';

const USAGE = `Outlier Lens: out-of-distribution images by likelihood ratios (Ren et al. 2019)

usage:
  outlier-lens help [command] | <command> --help | --version
  outlier-lens train <folder> -o <detector> [--preset seed|fast] [--epochs N] [--batch-size N]
        [--learning-rate R] [--learning-rate-schedule constant|linear] [--mutation-rate 0.2] [--l2-background λ] [--size HxW] [--channels 1|3]
        [--limit N | --sample N] [--seed N] [--include GLOB] [--exclude GLOB] [--backend auto|webgpu|tensorflow|wasm|cpu]
        [--engine auto|tfjs|onnx-cpu|onnx-webgpu|onnx-cuda] [--checkpoint DIR]
  outlier-lens threshold <detector> <folder> (--perc P | --fpr F | --value V) [--limit N] [--backend …]
  outlier-lens scan <folder> -d <detector> [--signals llr,typicality,checks,duplicates] [--json out.json|-] [--csv out.csv] [--perc P | --fpr F] [--top N]
        [--batch-size N] [--include GLOB] [--exclude GLOB] [--backend …]
        [--out results.jsonl] [--shard i/n]     (a scan started again goes on from its result log)
  outlier-lens merge <shard.jsonl>... (--json out.json|- | --csv out.csv) [--perc P | --fpr F] [--top N]
  outlier-lens sample <detector> -n 16 -o samples.png [--model semantic|background] [--seed N] [--backend …]
  outlier-lens data fashion-mnist|mnist --split train|test -o <folder> [--limit N] [--by-label]
  outlier-lens bench fmnist-mnist [--preset seed|fast] [--train-limit N] [--test-limit N] [--backend …] [--engine …]
        [--epochs N] [--batch-size N] [--learning-rate R] [--learning-rate-schedule constant|linear]
        [--mutation-rate M] [--l2-background λ] [--seed N] [--score-batch-size N]
        [--fashion-mnist-dir D] [--mnist-dir D] [--checkpoint DIR] [-o result.json]

Every command takes --json for machine-readable output on stdout (scan: --json - prints the export).
Exit codes: 0 ok, 1 failure, 2 bad usage.`;

type Command = (argv: string[]) => Promise<void>;

/** Commands by name. */
const COMMANDS: Record<string, Command> = {
  train: trainCommand,
  threshold: thresholdCommand,
  scan: scanCommand,
  merge: mergeCommand,
  sample: sampleCommand,
  data: dataCommand,
  bench: async (argv) => {
    if (argv[0] !== 'fmnist-mnist') {
      throw new UsageError(`unknown benchmark '${argv[0] ?? ''}': the benchmark is fmnist-mnist`);
    }
    await benchFmnistMnistCommand(argv.slice(1));
  },
};

function commandNamed(name: string): Command | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** Where the CLI writes: the process's streams, or a test's. */
export interface CliOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const FOOTER = '\nRun `outlier-lens --help` for every command.';

/** Runs the command line `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], output: CliOutput = process): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    output.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (name === '--version' || name === '-V') {
    output.stdout.write(`outlier-lens ${version}\n`);
    return 0;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    output.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const helpOf = name === 'help' ? rest[0] : asksForHelp(rest) ? name : undefined;
  const usageOf = (command: string): string => commandUsage(USAGE, command) ?? USAGE;
  if (helpOf !== undefined && commandNamed(helpOf)) {
    output.stdout.write(`${usageOf(helpOf)}\n${FOOTER}\n`);
    return 0;
  }
  const command = commandNamed(helpOf ?? name);
  try {
    if (!command) {
      throw new UsageError(`unknown command '${helpOf ?? name}'`);
    }
    await command(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      const usage = command ? `${usageOf(name)}\n${FOOTER}` : USAGE;
      output.stderr.write(`outlier-lens${command ? ` ${name}` : ''}: ${parseErrorMessage(error)}\n\n${usage}\n`);
      return 2;
    }
    output.stderr.write(`outlier-lens: ${(error as Error).message}\n`);
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
