// Reading a few top-level fields of a stored record without parsing it whole: reopening a cache
// of 100,000 images indexes every line, and JSON.parse of each line builds every field, nested
// measures included, only for the index to keep five of them (docs/scale.md, "Reopening").

/** How a field's value is read: a JSON number, a JSON string, or any JSON value parsed as it is (for small nested objects). */
export type FieldKind = 'number' | 'string' | 'json';

type ValueOf<Kind extends FieldKind> = Kind extends 'number' ? number : Kind extends 'string' ? string : unknown;

/** The fields an extraction reads, by name, each with its kind. */
export type FieldSpec = Readonly<Record<string, FieldKind>>;

/** What an extraction gives: each field of the spec that the record has, with a value of its kind (a value of another kind is left out). */
export type ExtractedFields<Spec extends FieldSpec> = { -readonly [Name in keyof Spec]?: ValueOf<Spec[Name]> };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Bytes to read fields from: the bytes, and the same bytes as a latin1 string (one character a byte, made once per chunk: string scans are V8's fastest). */
export interface FieldSource {
  readonly bytes: Buffer;
  readonly text: string;
}

/** The bytes of `bytes` as a FieldSource. */
export function fieldSource(bytes: Buffer): FieldSource {
  return { bytes, text: bytes.toString('latin1') };
}

/**
 * Reads the fields of `spec` from JSON objects, one object a call, decoding only those fields'
 * values: other values are stepped over. The top level's structure is checked (keys, colons,
 * commas, one object and nothing after it); values stepped over are not validated as JSON.parse would.
 */
export class FieldReader<Spec extends FieldSpec> {
  private readonly names: readonly string[];
  private readonly kinds: readonly FieldKind[];

  constructor(spec: Spec) {
    this.names = Object.keys(spec);
    this.kinds = this.names.map((name) => spec[name]);
  }

  /** The fields in the object `source[start, end)` (one line of a store, no newline), or null when it is not an object of that shape. */
  read(source: FieldSource, start: number, end: number): ExtractedFields<Spec> | null {
    const { text } = source;
    const fields: Record<string, unknown> = {};
    let at = skipSpace(text, start, end);
    if (text.charCodeAt(at) !== OPEN_BRACE) return null;
    at = skipSpace(text, at + 1, end);
    if (text.charCodeAt(at) === CLOSE_BRACE) return skipSpace(text, at + 1, end) === end ? (fields as ExtractedFields<Spec>) : null;
    for (;;) {
      if (text.charCodeAt(at) !== QUOTE) return null;
      const keyStart = at + 1;
      const keyEnd = stringEnd(text, at, end);
      if (keyEnd < 0) return null;
      const field = this.fieldAt(text, keyStart, keyEnd - 1);
      at = skipSpace(text, keyEnd, end);
      if (text.charCodeAt(at) !== COLON) return null;
      const valueStart = skipSpace(text, at + 1, end);
      const valueEnd = valueEndAt(text, valueStart, end);
      if (valueEnd < 0) return null;
      if (field >= 0) {
        const value = readValue(source, valueStart, valueEnd, this.kinds[field]);
        if (value !== undefined) fields[this.names[field]] = value;
      }
      at = skipSpace(text, valueEnd, end);
      const next = text.charCodeAt(at);
      if (next === COMMA) at = skipSpace(text, at + 1, end);
      else if (next === CLOSE_BRACE) return skipSpace(text, at + 1, end) === end ? (fields as ExtractedFields<Spec>) : null;
      else return null;
    }
  }

  /** The field whose name is `text[start, end)`, or -1 (names are compared in place: keys not asked for are never copied). */
  private fieldAt(text: string, start: number, end: number): number {
    for (let field = 0; field < this.names.length; field++) {
      const name = this.names[field];
      if (name.length === end - start && text.startsWith(name, start)) return field;
    }
    return -1;
  }
}

function readValue(source: FieldSource, start: number, end: number, kind: FieldKind): unknown {
  const first = source.text.charCodeAt(start);
  if (kind === 'number') {
    // A JSON number starts with a digit or a minus; `Number` would also take "", "true" or hex.
    if (first !== 0x2d && (first < 0x30 || first > 0x39)) return undefined;
    const value = Number(source.text.slice(start, end));
    return Number.isFinite(value) ? value : undefined;
  }
  if (kind === 'string') {
    if (first !== QUOTE) return undefined;
    let ascii = true;
    for (let at = start + 1; at < end - 1; at++) {
      const code = source.text.charCodeAt(at);
      if (code === BACKSLASH) return parseOrUndefined(source.bytes.toString('utf8', start, end));
      if (code >= 0x80) ascii = false;
    }
    // ASCII reads the same in latin1: a slice of the chunk's string, no decoding.
    return ascii ? source.text.slice(start + 1, end - 1) : source.bytes.toString('utf8', start + 1, end - 1);
  }
  return parseOrUndefined(source.bytes.toString('utf8', start, end));
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Where the value starting at `start` ends (one past it), or -1 when it runs past `end`. */
function valueEndAt(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringEnd(text, start, end);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let at = start; at < end; at++) {
      const code = text.charCodeAt(at);
      if (code === QUOTE) {
        at = stringEnd(text, at, end) - 1;
        if (at < 0) return -1;
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        depth++;
      } else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) {
        return at + 1;
      }
    }
    return -1;
  }
  // A number or a literal: up to the next comma, closing brace or bracket, or space.
  let at = start;
  for (let code = text.charCodeAt(at); at < end && code !== COMMA && code !== CLOSE_BRACE && code !== CLOSE_BRACKET && !isSpace(code); code = text.charCodeAt(++at));
  return at > start ? at : -1;
}

/** One past the closing quote of the string whose opening quote is at `quote`, or -1 when it is not closed before `end`. */
function stringEnd(text: string, quote: number, end: number): number {
  let at = quote + 1;
  for (;;) {
    const close = text.indexOf('"', at);
    if (close < 0 || close >= end) return -1;
    // Escaped when an odd number of backslashes precede it.
    let slashes = 0;
    while (text.charCodeAt(close - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return close + 1;
    at = close + 1;
  }
}

function skipSpace(text: string, at: number, end: number): number {
  while (at < end && isSpace(text.charCodeAt(at))) at++;
  return at;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}
