/** Where a command's flags are read from: everything before a `--` terminator. */
function flagsOf(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

/** Whether the user asked a command for its help (`--help` or `-h` among its flags). */
export function asksForHelp(argv: readonly string[]): boolean {
  return flagsOf(argv).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * The lines of `usage` that describe `command`: its `outlier-lens <command> …` line and the more
 * deeply indented lines that continue it; undefined when `usage` has none. The full text stays the
 * one place a command's flags are written down.
 */
export function commandUsage(usage: string, command: string): string | undefined {
  const lines = usage.split('\n');
  const picked: string[] = [];
  let inside = false;
  for (const line of lines) {
    const start = /^(\s*)outlier-lens (\S+)/.exec(line);
    if (start) inside = start[2] === command;
    else if (inside && !/^\s{3,}\S/.test(line)) inside = false;
    if (inside) picked.push(line);
  }
  return picked.length > 0 ? `usage:\n${picked.join('\n')}` : undefined;
}

/** A parse error from node:util parseArgs, said the way the CLI says its own usage errors. */
export function parseErrorMessage(error: Error & { code?: string }): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return `unknown flag '${unknown[1]}'`;
  return error.message;
}

/** Whether `error` is a parse error from node:util parseArgs (bad usage, not a failure). */
export function isParseArgsError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
