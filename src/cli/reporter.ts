/**
 * Where a command talks to the person running it: progress bars and notes on stderr (only on a
 * terminal, so logs stay clean), results on stdout; with --json, stdout holds one JSON document.
 */
export class Reporter {
  private lastBar = 0;
  private barShown = false;

  constructor(private readonly json: boolean, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** A line for the person (suppressed in --json mode). */
  note(message: string): void {
    if (!this.json) {
      this.endBar();
      this.stream.write(`${message}\n`);
    }
  }

  /** A progress bar, redrawn at most 10 times a second. */
  progress(label: string, done: number, total: number, detail = ''): void {
    if (this.json || !this.stream.isTTY) {
      return;
    }
    const now = Date.now();
    if (now - this.lastBar < 100 && done < total) {
      return;
    }
    this.lastBar = now;
    const width = 30;
    const filled = total > 0 ? Math.round((width * done) / total) : 0;
    this.stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${detail}\u001b[K`);
    this.barShown = true;
  }

  /** The command's result: JSON on stdout in --json mode, else the human text. */
  result(value: unknown, human: string): void {
    this.endBar();
    process.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
  }

  private endBar(): void {
    if (this.barShown) {
      this.stream.write('\n');
      this.barShown = false;
    }
  }
}

/** Seconds as "1h 02m", "3m 05s" or "12s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return '?';
  }
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}
