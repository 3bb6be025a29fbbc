/**
 * A line-preserving INI document. The `ini` package drops comments and blank lines when it writes, and the admin
 * API must write changes back "exactly as the admin left them", so the engine keeps every line as it was read and
 * edits only the lines a change touches.
 */

/** One physical line of the file. */
type IniLine =
  | { kind: 'raw'; text: string }
  | { kind: 'section'; text: string; name: string }
  | { kind: 'entry'; text: string; key: string; value: string };

/** A problem found while parsing, with its 1-based line number. */
export interface IniSyntaxError {
  line: number;
  message: string;
}

const SECTION_LINE = /^\s*\[([^\]]+)\]\s*(?:[;#].*)?$/;
const ENTRY_LINE = /^\s*([^=\s;#[][^=]*?)\s*=\s?(.*)$/;
/** An inline comment starts with `;` or `#` after whitespace, so values such as `a#b` stay intact. */
const INLINE_COMMENT = /\s+[;#].*$/;

function parseValue(rawValue: string): string {
  const trimmed = rawValue.replace(INLINE_COMMENT, '').trim();
  const quoted = /^"(.*)"$/.exec(trimmed) ?? /^'(.*)'$/.exec(trimmed);
  return quoted ? (quoted[1] ?? '') : trimmed;
}

function formatEntry(key: string, value: string): string {
  const needsQuotes = /^\s|\s$|\s[;#]/.test(value);
  return `${key} = ${needsQuotes ? `"${value}"` : value}`;
}

/** An INI file kept line by line: reads like a map of sections, writes back everything it did not change. */
export class IniDocument {
  private readonly lines: IniLine[];
  /** Line ending of the source, kept on write. */
  private readonly eol: string;

  private constructor(lines: IniLine[], eol: string) {
    this.lines = lines;
    this.eol = eol;
  }

  /** Parses text; syntax problems are collected, never thrown, so a caller can report all of them at once. */
  static parse(text: string): { document: IniDocument; errors: IniSyntaxError[] } {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const errors: IniSyntaxError[] = [];
    const lines: IniLine[] = [];
    const seen = new Set<string>();
    let current = '';
    const rows = text.split(/\r?\n/);
    if (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
    rows.forEach((text, index) => {
      const trimmed = text.trim();
      if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) {
        lines.push({ kind: 'raw', text });
        return;
      }
      const section = SECTION_LINE.exec(text);
      if (section) {
        current = (section[1] ?? '').trim();
        if (seen.has(`[${current}]`)) {
          errors.push({ line: index + 1, message: `section [${current}] appears twice` });
        }
        seen.add(`[${current}]`);
        lines.push({ kind: 'section', text, name: current });
        return;
      }
      const entry = ENTRY_LINE.exec(text);
      if (!entry) {
        errors.push({ line: index + 1, message: `cannot read "${trimmed}": expected [section] or key = value` });
        lines.push({ kind: 'raw', text });
        return;
      }
      const key = (entry[1] ?? '').trim();
      if (current === '') {
        errors.push({ line: index + 1, message: `option ${key} is outside any [section]` });
      } else if (seen.has(`${current}\u0000${key}`)) {
        errors.push({ line: index + 1, message: `option ${key} appears twice in [${current}]` });
      }
      seen.add(`${current}\u0000${key}`);
      lines.push({ kind: 'entry', text, key, value: parseValue(entry[2] ?? '') });
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
    for (let i = range.start + 1; i < range.end; i++) {
      const line = this.lines[i];
      if (line?.kind === 'entry') options.set(line.key, line.value);
    }
    return options;
  }

  /** Sets one option: replaces its line in place, or appends it after the section's last option. */
  set(sectionName: string, key: string, value: string): void {
    const range = this.sectionRange(sectionName) ?? this.addSection(sectionName);
    const index = this.findEntry(range, key);
    const entry: IniLine = { kind: 'entry', text: formatEntry(key, value), key, value };
    if (index !== undefined) {
      this.lines[index] = entry;
      return;
    }
    this.lines.splice(this.lastContentLine(range) + 1, 0, entry);
  }

  /** Removes one option; returns false when it was not there. */
  delete(sectionName: string, key: string): boolean {
    const range = this.sectionRange(sectionName);
    const index = range && this.findEntry(range, key);
    if (index === undefined) return false;
    this.lines.splice(index, 1);
    return true;
  }

  /** Renames one option in place, keeping its value and position. */
  rename(sectionName: string, from: string, to: string): boolean {
    const range = this.sectionRange(sectionName);
    const index = range && this.findEntry(range, from);
    const line = index === undefined ? undefined : this.lines[index];
    if (index === undefined || line?.kind !== 'entry') return false;
    this.lines[index] = { kind: 'entry', text: formatEntry(to, line.value), key: to, value: line.value };
    return true;
  }

  /** Removes a whole section with its options (comments directly above it stay with the previous section). */
  removeSection(name: string): boolean {
    const range = this.sectionRange(name);
    if (!range) return false;
    this.lines.splice(range.start, this.lastContentLine(range) + 1 - range.start);
    return true;
  }

  /** Appends an empty section at the end of the file (with one blank line before it) and returns its range. */
  addSection(name: string): { start: number; end: number } {
    const last = this.lines[this.lines.length - 1];
    if (last && !(last.kind === 'raw' && last.text.trim() === '')) this.lines.push({ kind: 'raw', text: '' });
    this.lines.push({ kind: 'section', text: `[${name}]`, name });
    return { start: this.lines.length - 1, end: this.lines.length };
  }

  /** The document as text: untouched lines are byte for byte what was read. */
  toString(): string {
    return this.lines.map((line) => line.text).join(this.eol) + this.eol;
  }

  private sectionRange(name: string): { start: number; end: number } | undefined {
    const start = this.lines.findIndex((line) => line.kind === 'section' && line.name === name);
    if (start < 0) return undefined;
    const next = this.lines.findIndex((line, i) => i > start && line.kind === 'section');
    return { start, end: next < 0 ? this.lines.length : next };
  }

  private findEntry(range: { start: number; end: number }, key: string): number | undefined {
    for (let i = range.start + 1; i < range.end; i++) {
      const line = this.lines[i];
      if (line?.kind === 'entry' && line.key === key) return i;
    }
    return undefined;
  }

  /** Last option line of a section (or its header), so trailing blank lines and comments stay below new options. */
  private lastContentLine(range: { start: number; end: number }): number {
    for (let i = range.end - 1; i > range.start; i--) {
      if (this.lines[i]?.kind === 'entry') return i;
    }
    return range.start;
  }
}
