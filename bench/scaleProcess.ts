// Runs the built CLI as a child process and watches it: resident memory (from /proc, every
// 250 ms) against the files its result log holds, so memory can be read per 10,000 files scored.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The built CLI (npm run bench:scale builds it first). */
export const CLI = path.join(__dirname, '..', 'dist', 'cli.js');

/** One memory reading: resident MiB when the log held `files` results, `seconds` into the run. */
export interface RssSample {
  readonly seconds: number;
  readonly files: number;
  readonly rssMiB: number;
}

/** What a watched run did. */
export interface WatchedRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly seconds: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly samples: RssSample[];
  readonly peakRssMiB: number;
}

/** Resident set size of `pid` in MiB (Linux /proc), or null once it is gone. */
function residentMiB(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Counts result records in a log as it grows, reading only what was appended since the last call. */
class LogCounter {
  private position = 0;
  records = 0;
  constructor(private readonly file: string | undefined) {}
  update(): number {
    if (!this.file || !fs.existsSync(this.file)) return this.records;
    const size = fs.statSync(this.file).size;
    if (size < this.position) this.position = 0;
    if (size === this.position) return this.records;
    const buffer = Buffer.alloc(size - this.position);
    const fd = fs.openSync(this.file, 'r');
    fs.readSync(fd, buffer, 0, buffer.length, this.position);
    fs.closeSync(fd);
    this.position = size;
    for (let i = buffer.indexOf(0x0a); i !== -1; i = buffer.indexOf(0x0a, i + 1)) this.records++;
    return this.records;
  }
}

/**
 * Runs `node dist/cli.js …args`, sampling its memory and the record count of `log` (the line
 * count, header included) every 250 ms; `killAfterRecords` sends SIGKILL once the log holds that
 * many more lines than at the start, `killExtraMs` later (a kill in the middle of scoring), and
 * `onSample` sees each reading (for a progress line or a partial result).
 */
export function runWatched(args: string[], options: { log?: string; killAfterRecords?: number; killExtraMs?: number; onSample?: (sample: RssSample) => void } = {}): Promise<WatchedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const counter = new LogCounter(options.log);
    const startRecords = counter.update();
    let killer: NodeJS.Timeout | undefined;
    const killWatch =
      options.killAfterRecords === undefined
        ? undefined
        : setInterval(() => {
            if (counter.update() >= startRecords + (options.killAfterRecords ?? 0)) {
              clearInterval(killWatch);
              killer = setTimeout(() => child.kill('SIGKILL'), options.killExtraMs ?? 0);
            }
          }, 20);
    const samples: RssSample[] = [];
    let peak = 0;
    const sample = (): void => {
      const rss = child.pid === undefined ? null : residentMiB(child.pid);
      if (rss === null) return;
      peak = Math.max(peak, rss);
      const reading = { seconds: (performance.now() - started) / 1000, files: Math.max(0, counter.update() - 1), rssMiB: Math.round(rss) };
      samples.push(reading);
      options.onSample?.(reading);
    };
    const timer = setInterval(sample, 250);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      clearInterval(killWatch);
      if (killer) clearTimeout(killer);
      resolve({ code, signal, seconds: (performance.now() - started) / 1000, stdout, stderr, samples, peakRssMiB: Math.round(peak) });
    });
  });
}

/** An export's text without its timestamp, to compare two exports of the same results. */
export function exportWithoutTimestamp(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/"createdAt": "[^"]*"/, '');
}
