/**
 * Labelling images from the panel writes `path,label` lines into the labels file (see
 * `labelsFile.ts` for the format): a line that named one of the paths before is dropped, the new
 * lines go at the end, and every other line — comments, folders, other images — stays as it was.
 * Pure: the caller reads and writes the file.
 */
import type { GroundTruthLabel } from '../../protocol/scanResults';
import { parseLabelsFile } from './labelsFile';

/** The first line of a labels file the panel creates. */
const HEADER = 'path,label';

/** `text` with every path of `relativePaths` labelled `label` (one line each, at the end). */
export function withLabels(text: string, relativePaths: readonly string[], label: GroundTruthLabel): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const relabelled = new Set(relativePaths);
  const kept = text === '' ? [HEADER] : text.replace(/(\r\n|\n)$/, '').split(/\r\n|\n/).filter((line) => !namesOneOf(line, relabelled));
  const added = [...relabelled].map((relativePath) => `${csvField(relativePath)},${label}`);
  return `${[...kept, ...added].join(newline)}${newline}`;
}

/** Whether a line labels one of `paths` (a header, comment or malformed line never does). */
function namesOneOf(line: string, paths: ReadonlySet<string>): boolean {
  // A lone "path,label" would read as a header: a line is parsed after a header of its own.
  const [entry] = parseLabelsFile(`${HEADER}\n${line}`).entries;
  return entry !== undefined && paths.has(entry.relativePath);
}

/** A path as a CSV field: quoted when it holds a comma, a quote, " #" or edge spaces. */
function csvField(value: string): string {
  return /[",]|\s#|^\s|\s$|^#/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
