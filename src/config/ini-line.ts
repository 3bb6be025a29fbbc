/**
 * One line of an INI file: how it is read and how a changed entry is written. The dialect, in full:
 * - `[name]` starts a section (a comment may follow it); blank lines and lines starting with `;` or `#` are comments;
 * - `key = value` is an entry: the key is the text before the first `=`, trimmed; the value is the text after it;
 * - in a value, `;` or `#` preceded by whitespace starts an inline comment (so `a#b` and `x;y` are values), and
 *   the value is trimmed;
 * - a value wholly in double or single quotes is taken verbatim between them, so it may keep leading or trailing
 *   spaces and ` ;` (there are no escapes);
 * - a value never spans lines.
 * Entries keep the offsets of their key and value, so a change rewrites only those characters of the line.
 */

/** A comment line, a blank line, or a line that could not be read (kept as it was). */
export interface RawLine {
  readonly kind: 'raw';
  readonly text: string;
}

/** A `[section]` header. */
export interface SectionLine {
  readonly kind: 'section';
  readonly text: string;
  /** The name between the brackets, trimmed. */
  readonly name: string;
}

/** A `key = value` entry with where its parts are in `text`. */
export interface EntryLine {
  readonly kind: 'entry';
  readonly text: string;
  readonly key: string;
  readonly value: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** Where the value's text (quotes included) starts and ends; after it come spaces and the inline comment. */
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** One line without its line ending. */
export type LineContent = RawLine | SectionLine | EntryLine;

const SECTION = /^\s*\[([^\]]+)\]\s*(?:[;#].*)?$/;
/** A key cannot start with `[` (a broken header), `;` or `#` (a comment) or `=`. */
const KEY_START = /^\s*[^=\s;#[]/;
/** What may follow a closing quote: spaces and an optional comment. */
const AFTER_QUOTE = /^\s*(?:[;#].*)?$/;

/** Reads one line; `undefined` means it is neither blank, comment, section nor entry (a syntax error). */
export function parseLine(text: string): LineContent | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) return { kind: 'raw', text };
  const section = SECTION.exec(text);
  if (section) return { kind: 'section', text, name: (section[1] ?? '').trim() };
  const equals = text.indexOf('=');
  if (equals < 0 || !KEY_START.test(text.slice(0, equals))) return undefined;
  const keyText = text.slice(0, equals);
  const keyStart = keyText.length - keyText.trimStart().length;
  const key = keyText.trim();
  return { kind: 'entry', text, key, keyStart, keyEnd: keyStart + key.length, ...readValue(text, equals + 1) };
}

/** Reads the value that starts after the `=` at `from`. */
function readValue(text: string, from: number): { value: string; valueStart: number; valueEnd: number } {
  const rest = text.slice(from);
  const valueStart = from + (rest.length - rest.trimStart().length);
  const body = text.slice(valueStart);
  const quote = body[0];
  if (quote === '"' || quote === "'") {
    for (let close = body.indexOf(quote, 1); close > 0; close = body.indexOf(quote, close + 1)) {
      if (AFTER_QUOTE.test(body.slice(close + 1))) {
        return { value: body.slice(1, close), valueStart, valueEnd: valueStart + close + 1 };
      }
    }
  }
  const comment = /\s[;#]/.exec(text.slice(from - 1));
  const end = comment ? from - 1 + comment.index : text.length;
  const value = text.slice(valueStart, Math.max(end, valueStart)).trimEnd();
  return { value, valueStart, valueEnd: valueStart + value.length };
}

/** Thrown when a key or value cannot be written to an INI file so that it reads back the same. */
export class UnwritableValueError extends Error {
  constructor(readonly text: string) {
    super(`${JSON.stringify(text)} cannot be written to an INI file so that it reads back the same`);
    this.name = 'UnwritableValueError';
  }
}

/** The text to write for `value`: as it is when it reads back the same, otherwise quoted. */
export function formatValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new UnwritableValueError(value);
  const quotes = value.includes('"') ? ["'", '"'] : ['"', "'"];
  for (const candidate of [value, ...quotes.map((quote) => `${quote}${value}${quote}`)]) {
    if (readValue(`= ${candidate}`, 1).value === value) return candidate;
  }
  throw new UnwritableValueError(value);
}

/** `entry` with a new value: only the value's characters change; its spacing and inline comment stay. */
export function withValue(entry: EntryLine, value: string): EntryLine {
  const { text } = entry;
  const formatted = formatValue(value);
  const before = text.slice(0, entry.valueStart);
  const after = text.slice(entry.valueEnd);
  if (formatted === '') return reparse(before.trimEnd() + after, entry.key, value);
  // `key =` or `key = ; note`: keep a space between `=` and the new value, and between the value and the comment.
  const gapBefore = /\s=$/.test(before) ? ' ' : '';
  const gapAfter = /^[;#]/.test(after) ? ' ' : '';
  return reparse(`${before}${gapBefore}${formatted}${gapAfter}${after}`, entry.key, value);
}

/** `entry` with a new key: only the key's characters change. */
export function withKey(entry: EntryLine, key: string): EntryLine {
  return reparse(entry.text.slice(0, entry.keyStart) + key + entry.text.slice(entry.keyEnd), key, entry.value);
}

/** A new entry written in the style of `model` (its indentation and spacing around `=`), or `key = value`. */
export function newEntry(key: string, value: string, model?: EntryLine): EntryLine {
  const indent = model ? model.text.slice(0, model.keyStart) : '';
  const spaced = model ? /\s/.test(model.text.slice(model.keyEnd, model.valueStart)) : true;
  const formatted = formatValue(value);
  const separator = spaced ? (formatted === '' ? ' =' : ' = ') : '=';
  return reparse(`${indent}${key}${separator}${formatted}`, key, value);
}

/** Reads a written line back and checks it says what was meant, so a bad key or value never reaches the file. */
function reparse(text: string, key: string, value: string): EntryLine {
  const line = parseLine(text);
  if (line?.kind !== 'entry' || line.key !== key || line.value !== value) throw new UnwritableValueError(text);
  return line;
}
