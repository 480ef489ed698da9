import { runCli } from '../../../src/cli/main';

/** Runs the CLI in this process (no start-up cost), capturing what it writes to stdout and stderr. */
export async function runCliInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((text: string | Uint8Array) => ((stdout += text.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((text: string | Uint8Array) => ((stderr += text.toString()), true)) as typeof process.stderr.write;
  try {
    return { code: await runCli(args), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
