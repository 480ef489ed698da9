import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OutputLog } from '../ui/outputLog';
import type { PackagedTarget } from './packagedTarget';
import { checkNativeParts, runningTarget } from './packagedTarget';

/** Whether this Linux runs on musl (Alpine): Node's report names a glibc only where there is one. */
function isMusl(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime === undefined;
}

/**
 * At activation: a platform VSIX on the wrong machine, or with a native part gone, says so now
 * (in an error message and the log) rather than with the first image that cannot be read. The
 * engine still falls back to what loads. A source checkout has no dist/target.json: no check.
 */
export function checkPackagedNativeParts(extensionPath: string, log: OutputLog): void {
  const manifestFile = path.join(extensionPath, 'dist', 'target.json');
  if (!fs.existsSync(manifestFile)) return;
  let packaged: PackagedTarget;
  try {
    packaged = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as PackagedTarget;
  } catch (error) {
    log.warn(`dist/target.json unreadable: ${(error as Error).message}`);
    return;
  }
  const report = checkNativeParts(packaged, runningTarget(process.platform, process.arch, isMusl()), (relative) => fs.existsSync(path.join(extensionPath, relative)));
  for (const note of report.notes) log.info(note);
  if (report.error) {
    log.error(report.error);
    void vscode.window.showErrorMessage(`Outlier Lens: ${report.error}`);
  }
}
