import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

/** The names Debian and others give the Chromium binary, looked for on PATH in this order. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser'];

/**
 * The Chromium the browser tests drive: $CHROMIUM_PATH when set, else the first Chromium on PATH
 * (scripts/test-prerequisites.sh looks in the same places, and installs Debian's when none is found).
 */
export function chromiumPath(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return isExecutable(configured) ? configured : undefined;
  for (const folder of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of CHROMIUM_NAMES) {
      const candidate = path.join(folder, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** {@link chromiumPath}, or an Error whose message says in one line what to run. */
export function requireChromiumPath(): string {
  const found = chromiumPath();
  if (found !== undefined) return found;
  const where = process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable` : 'no chromium on PATH';
  const error = new Error(`the browser tests need Chromium (${where}): run \`sudo apt-get install chromium\` or \`bash scripts/test-prerequisites.sh\`, or set CHROMIUM_PATH`);
  error.stack = `Error: ${error.message}`; // one line in mocha's report, not a trace through the harness
  throw error;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
