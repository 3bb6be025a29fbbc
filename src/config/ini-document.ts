/**
 * A line-preserving INI document. The `ini` package drops comments and blank lines when it writes, and the admin
 * API must write changes back "exactly as the admin left them", so the engine keeps every line as it was read (with
 * its own line ending) and edits only the lines a change touches: the text after a change differs from the text
 * before only in the changed lines. The dialect is described in `ini-line.ts`.
 */
import { type EntryLine, type LineContent, newEntry, parseLine, withKey, withValue } from './ini-line.ts';

/** One physical line: its content and the line ending that followed it (empty for a last line without one). */
type IniLine = LineContent & { eol: string };

/** A problem found while parsing, with its 1-based line number. */
export interface IniSyntaxError {
  line: number;
  message: string;
}

/** Half-open range of line indexes: the section header at `start`, its lines up to `end`. */
interface Range {
  start: number;
  end: number;
}

/** Splits text into lines, each with its own line ending (`\r\n` or `\n`), so mixed endings survive a write. */
function splitLines(text: string): Array<{ text: string; eol: string }> {
  const rows: Array<{ text: string; eol: string }> = [];
  const breaks = /\r?\n/g;
  let from = 0;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    rows.push({ text: text.slice(from, match.index), eol: match[0] });
    from = match.index + match[0].length;
  }
  if (from < text.length) rows.push({ text: text.slice(from), eol: '' });
  return rows;
}

/** An INI file kept line by line: reads like a map of sections, writes back everything it did not change. */
export class IniDocument {
  private readonly lines: IniLine[];
  /** Line ending of new lines: the one the file uses most. */
  private readonly eol: string;

  private constructor(lines: IniLine[], eol: string) {
    this.lines = lines;
    this.eol = eol;
  }

  /** Parses text; syntax problems are collected, never thrown, so a caller can report all of them at once. */
  static parse(text: string): { document: IniDocument; errors: IniSyntaxError[] } {
    const rows = splitLines(text);
    const crlf = rows.filter((row) => row.eol === '\r\n').length;
    const lf = rows.filter((row) => row.eol === '\n').length;
    const eol = crlf > lf ? '\r\n' : '\n';
    const errors: IniSyntaxError[] = [];
    const lines: IniLine[] = [];
    const seen = new Set<string>();
    let current = '';
    rows.forEach((row, index) => {
      const line = parseLine(row.text);
      if (!line) {
        errors.push({
          line: index + 1,
          message: `cannot read "${row.text.trim()}": expected [section] or key = value`,
        });
        lines.push({ kind: 'raw', text: row.text, eol: row.eol });
        return;
      }
      lines.push({ ...line, eol: row.eol });
      if (line.kind === 'section') {
        current = line.name;
        if (seen.has(`[${current}]`)) errors.push({ line: index + 1, message: `section [${current}] appears twice` });
        seen.add(`[${current}]`);
      } else if (line.kind === 'entry') {
        if (current === '') {
          errors.push({ line: index + 1, message: `option ${line.key} is outside any [section]` });
        } else if (seen.has(`${current}\u0000${line.key}`)) {
          errors.push({ line: index + 1, message: `option ${line.key} appears twice in [${current}]` });
        }
        seen.add(`${current}\u0000${line.key}`);
      }
    });
    return { document: new IniDocument(lines, eol), errors };
  }

  /** Section names in file order. */
  sectionNames(): string[] {
    return this.lines.flatMap((line) => (line.kind === 'section' ? [line.name] : []));
  }

  /** The options of one section in file order, or undefined when the section does not exist. */
  section(name: string): Map<string, string> | undefined {
    const range = this.sectionRange(name);
    if (!range) return undefined;
    const options = new Map<string, string>();
    for (const line of this.lines.slice(range.start + 1, range.end)) {
      if (line.kind === 'entry') options.set(line.key, line.value);
    }
    return options;
  }

  /**
   * Sets one option: rewrites only the value of its line (spacing and inline comment kept), or adds a line after
   * the section's last option in the style of its neighbours. A missing section is added at the end.
   */
  set(sectionName: string, key: string, value: string): void {
    const range = this.sectionRange(sectionName) ?? this.appendSection(sectionName);
    const index = this.findEntry(range, key);
    const existing = index === undefined ? undefined : this.lines[index];
    if (index !== undefined && existing?.kind === 'entry') {
      this.lines[index] = { ...withValue(existing, value), eol: existing.eol };
      return;
    }
    const at = this.lastContentLine(range);
    this.insert(at + 1, newEntry(key, value, this.styleModel(range)));
  }

  /** Removes one option's line; returns false when it was not there. */
  delete(sectionName: string, key: string): boolean {
    const range = this.sectionRange(sectionName);
    const index = range && this.findEntry(range, key);
    if (index === undefined) return false;
    this.remove(index, index + 1);
    return true;
  }

  /** Renames one option in place: only the key's characters change. False when `from` is not there. */
  rename(sectionName: string, from: string, to: string): boolean {
    const range = this.sectionRange(sectionName);
    const index = range && this.findEntry(range, from);
    const line = index === undefined ? undefined : this.lines[index];
    if (index === undefined || line?.kind !== 'entry') return false;
    this.lines[index] = { ...withKey(line, to), eol: line.eol };
    return true;
  }

  /**
   * Removes a section: the comment block right above its header (when a blank line or the file's start sets it
   * apart from what precedes, so it describes this section), the header, and its lines down to its last option.
   * Comments and blank lines after the last option stay: they may introduce the next section.
   */
  removeSection(name: string): boolean {
    const range = this.sectionRange(name);
    if (!range) return false;
    const start = this.describingCommentStart(range.start);
    this.remove(start, this.lastContentLine(range) + 1);
    // The blank line that separated the section from the previous one would now double the next separator.
    const before = this.lines[start - 1];
    const after = this.lines[start];
    if (isBlank(before) && (after === undefined || isBlank(after))) this.remove(start - 1, start);
    return true;
  }

  /** Adds an empty section at the end of the file (after one blank line); false when it exists already. */
  addSection(name: string): boolean {
    if (this.sectionRange(name)) return false;
    this.appendSection(name);
    return true;
  }

  /** The document as text: untouched lines are byte for byte what was read. */
  toString(): string {
    return this.lines.map((line) => line.text + line.eol).join('');
  }

  private appendSection(name: string): Range {
    const last = this.lines[this.lines.length - 1];
    if (last && !isBlank(last)) this.insert(this.lines.length, { kind: 'raw', text: '' });
    this.insert(this.lines.length, { kind: 'section', text: `[${name}]`, name });
    return { start: this.lines.length - 1, end: this.lines.length };
  }

  /** Inserts a line; at the end of a file without a final line ending, the new line becomes the one without. */
  private insert(index: number, line: LineContent): void {
    const previous = this.lines[index - 1];
    if (index === this.lines.length && previous && previous.eol === '') {
      previous.eol = this.eol;
      this.lines.push({ ...line, eol: '' });
      return;
    }
    this.lines.splice(index, 0, { ...line, eol: this.eol });
  }

  /** Removes lines `[from, to)`; when they were the last ones, the new last line takes the last line's ending. */
  private remove(from: number, to: number): void {
    const wasEnd = to === this.lines.length;
    const removed = this.lines.splice(from, to - from);
    const newLast = this.lines[this.lines.length - 1];
    if (wasEnd && newLast) newLast.eol = removed[removed.length - 1]?.eol ?? '';
  }

  private sectionRange(name: string): Range | undefined {
    const start = this.lines.findIndex((line) => line.kind === 'section' && line.name === name);
    if (start < 0) return undefined;
    const next = this.lines.findIndex((line, i) => i > start && line.kind === 'section');
    return { start, end: next < 0 ? this.lines.length : next };
  }

  private findEntry(range: Range, key: string): number | undefined {
    for (let i = range.start + 1; i < range.end; i++) {
      const line = this.lines[i];
      if (line?.kind === 'entry' && line.key === key) return i;
    }
    return undefined;
  }

  /** Where the comment block directly above `header` starts, if it stands apart; otherwise `header` itself. */
  private describingCommentStart(header: number): number {
    let first = header;
    while (isComment(this.lines[first - 1])) first--;
    return first < header && (first === 0 || isBlank(this.lines[first - 1])) ? first : header;
  }

  /** Last option line of a section (or its header), so trailing blank lines and comments stay below new options. */
  private lastContentLine(range: Range): number {
    for (let i = range.end - 1; i > range.start; i--) {
      if (this.lines[i]?.kind === 'entry') return i;
    }
    return range.start;
  }

  /** The entry whose style a new option copies: the nearest one above it (in its section or before), else none. */
  private styleModel(range: Range): EntryLine | undefined {
    for (let i = this.lastContentLine(range); i >= 0; i--) {
      const line = this.lines[i];
      if (line?.kind === 'entry') return line;
    }
    return undefined;
  }
}

function isBlank(line: IniLine | undefined): boolean {
  return line?.kind === 'raw' && line.text.trim() === '';
}

function isComment(line: IniLine | undefined): boolean {
  return line?.kind === 'raw' && /^\s*[;#]/.test(line.text);
}
