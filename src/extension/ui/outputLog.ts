import type * as vscode from 'vscode';

/** The "Outlier Lens" output channel: timestamped lines from the host and the engine. */
export class OutputLog {
  constructor(private readonly channel: vscode.OutputChannel) {}

  /** Appends a line at `level`. */
  write(level: 'info' | 'warn' | 'error', message: string): void {
    const time = new Date().toISOString().slice(11, 23);
    this.channel.appendLine(`${time} [${level}] ${message}`);
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  /** Shows the channel (after an error the user may want the details). */
  show(): void {
    this.channel.show(true);
  }
}
