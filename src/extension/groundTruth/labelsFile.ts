/**
 * The labels file: ground truth written next to the images, `outlier-lens.labels.csv` at the top
 * of the scanned folder (the `outlierLens.labelsFile` setting names another). One `path,label`
 * pair a line:
 *
 * ```
 * # blank lines and comments are skipped; a first line "path,label" is a header
 * path,label
 * fashion,inlier          # a folder: every image under it
 * mnist/,outlier
 * odd/00042.png,1         # one image
 * ```
 *
 * - `path` is relative to the scanned folder, with `/` or `\`; a file or a folder (everything
 *   under it). Quote it ("a,b.png") when it holds a comma; `""` is a quote inside quotes.
 * - `label` is `inlier` or `outlier` (any case), or `0` (inlier) / `1` (outlier).
 * - `#` starts a comment at the start of a line or after a space (quote a path holding " #").
 * - A line that breaks these rules is skipped with a warning naming the file and the line; the
 *   rest of the file still counts and the scan goes on. When two lines name the same path, the
 *   later one wins (with a warning).
 *
 * Pure: no VS Code, no file system (the caller reads the text).
 */
import type { GroundTruthLabel } from '../../protocol/scanResults';

/** The default of `outlierLens.labelsFile`: the file looked for at the top of the scanned folder. */
export const DEFAULT_LABELS_FILE = 'outlier-lens.labels.csv';

/** A labelled path from the file. */
export interface LabelsFileEntry {
  /** Relative to the scanned folder, POSIX separators, no leading `./` or trailing `/`; '' is the whole folder. */
  readonly relativePath: string;
  readonly label: GroundTruthLabel;
  /** 1-based line number, for messages. */
  readonly line: number;
}

/** A line that was skipped, and why. */
export interface LabelsFileWarning {
  readonly line: number;
  /** Says what is wrong and what is expected. */
  readonly reason: string;
}

/** What the file says: the entries that parsed and a warning per skipped line. */
export interface ParsedLabelsFile {
  readonly entries: readonly LabelsFileEntry[];
  readonly warnings: readonly LabelsFileWarning[];
}

const LABEL_WORDS: Readonly<Record<string, GroundTruthLabel>> = { inlier: 'inlier', outlier: 'outlier', '0': 'inlier', '1': 'outlier' };

/** Parses the text of a labels file; never throws. */
export function parseLabelsFile(text: string): ParsedLabelsFile {
  const entries = new Map<string, LabelsFileEntry>();
  const warnings: LabelsFileWarning[] = [];
  let sawContent = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const isFirst = !sawContent;
    sawContent = true;
    const fields = splitCsvLine(withoutTrailingComment(raw));
    if (typeof fields === 'string') {
      warnings.push({ line, reason: fields });
      return;
    }
    if (isFirst && fields.length === 2 && fields[0].toLowerCase() === 'path' && fields[1].toLowerCase() === 'label') return;
    if (fields.length !== 2) {
      warnings.push({ line, reason: `expected 2 fields "path,label", found ${fields.length}` });
      return;
    }
    const label = LABEL_WORDS[fields[1].toLowerCase()];
    if (!label) {
      warnings.push({ line, reason: `label "${fields[1]}" is not inlier, outlier, 0 or 1` });
      return;
    }
    const relativePath = normaliseRelativePath(fields[0]);
    if (typeof relativePath !== 'string') {
      warnings.push({ line, reason: relativePath.problem });
      return;
    }
    const earlier = entries.get(relativePath);
    if (earlier && earlier.label !== label) {
      warnings.push({ line, reason: `"${fields[0]}" is labelled ${earlier.label} on line ${earlier.line} and ${label} here; line ${line} wins` });
    }
    entries.delete(relativePath); // keep file order: the later line's position
    entries.set(relativePath, { relativePath, label, line });
  });
  return { entries: [...entries.values()], warnings };
}

/** The line without a `#` comment that starts after whitespace outside quotes (paths may contain '#'). */
function withoutTrailingComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') quoted = !quoted;
    else if (char === '#' && !quoted && i > 0 && /\s/.test(line[i - 1])) return line.slice(0, i);
  }
  return line;
}

/** The trimmed fields of one CSV line, or a reason it is malformed. */
function splitCsvLine(line: string): string[] | string {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === ',') {
      fields.push(wasQuoted ? field : field.trim());
      field = '';
      wasQuoted = false;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (wasQuoted && char.trim() !== '') {
      return 'text after a closing quote';
    } else if (!wasQuoted) {
      field += char;
    }
  }
  if (quoted) return 'a quote is not closed';
  fields.push(wasQuoted ? field : field.trim());
  return fields;
}

/** A path of the file as the results name images (POSIX, relative, no `.` segments), or what is wrong with it. */
function normaliseRelativePath(written: string): string | { readonly problem: string } {
  if (written === '') return { problem: 'the path is empty (use "." for the whole folder)' };
  const posix = written.replace(/\\/g, '/');
  if (posix.startsWith('/') || /^[A-Za-z]:\//.test(posix)) return { problem: `"${written}" is absolute: paths are relative to the scanned folder` };
  const segments = posix.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { problem: `"${written}" leaves the scanned folder ("..")` };
  return segments.join('/');
}
