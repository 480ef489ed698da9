import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';

/**
 * One status bar item: the backend in use (and its device) while idle, the running job's progress
 * (click to cancel) while working.
 */
export class EngineStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private backend = 'engine not started';
  private backendChoice = 'auto';
  private job: { title: string; text: string } | null = null;

  constructor() {
    this.item = vscode.window.createStatusBarItem('outlierLens.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Outlier Lens';
    this.render();
    this.item.show();
  }

  /** The setting's choice (shown until the engine reports what it started). */
  setChoice(choice: string): void {
    this.backendChoice = choice;
    this.render();
  }

  /** The engine started this backend, e.g. "wasm: XNNPACK, SIMD, 1 thread". */
  setBackend(description: string): void {
    this.backend = description;
    this.render();
  }

  /** The engine stopped; the next job starts a new one. */
  clearBackend(): void {
    this.backend = 'engine not started';
    this.render();
  }

  /** A job's latest progress line. */
  showJob(title: string, text: string): void {
    this.job = { title, text };
    this.render();
  }

  /** The job ended. */
  endJob(): void {
    this.job = null;
    this.render();
  }

  /** The current text (tests read it). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    if (this.job) {
      this.item.text = `$(sync~spin) ${this.job.title}: ${this.job.text}`;
      this.item.tooltip = `Outlier Lens — ${this.job.title}. Click to cancel.`;
      this.item.command = COMMANDS.cancel;
    } else {
      const short = this.backend.includes(':') ? this.backend.split(':')[0] : this.backendChoice;
      this.item.text = `$(telescope) ${short}`;
      this.item.tooltip = `Outlier Lens backend: ${this.backend} (setting: ${this.backendChoice}). Click to choose another.`;
      this.item.command = COMMANDS.selectBackend;
    }
  }
}
