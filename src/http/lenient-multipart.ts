/**
 * A second reading of a multipart body that never uses the boundary its Content-Type declares, as in the GMS help's
 * own iPhoneService example (seed 000): its delimiter lines use other boundaries than the declared one (and differ
 * from each other), and its parts carry no blank line between their header and their value. Such bodies come from
 * clients and scripts written after that example, so GMS clients built on it keep working.
 *
 * It only runs when the strict parse failed and the declared delimiter occurs nowhere in the body (a truncated or
 * otherwise broken body that does use its boundary stays a 400), and it accepts a body only when every part is
 * recognisable: a delimiter line (`--` and a token) directly followed by a `Content-Disposition: form-data` header
 * with a name. Anything else answers `undefined`, and the caller keeps its 400.
 */
import type { RequestBody } from '../services/service-dispatcher.ts';
import type { UploadedFile } from '../user-data/user-data-store.ts';
import type { MultipartLimits } from './multipart.ts';

/**
 * Patterns tried at a line's start (sticky). A delimiter line: `--`, then a boundary token (RFC 2046: at most 70
 * characters, no spaces), maybe a closing `--`, then the line's end. Part headers other than Content-Disposition are
 * Content-Type and Content-Transfer-Encoding; any other line after the disposition starts the value.
 */
const DELIMITER = /--[0-9A-Za-z'()+_,./:=?-]{1,72}(?:\r?\n|$)/y;
const DISPOSITION = /content-disposition:[ \t]*form-data[ \t]*;([^\r\n]*)/iy;
const PART_HEADER = /(content-type|content-transfer-encoding):[ \t]*([^\r\n]*)/iy;

/** A part's header, as far as GMS uses it. */
interface PartHeader {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
}

/** Why a lenient reading failed on limits, for the caller to answer 413. */
export class LenientLimitError extends Error {}

/** The boundary a multipart Content-Type declares, if any. */
export function declaredBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Whether `body` contains the delimiter of `boundary` anywhere. */
export function usesBoundary(body: Buffer, boundary: string): boolean {
  return body.includes(`--${boundary}`, 0, 'latin1');
}

/** The `name` and `filename` parameters of a Content-Disposition header's parameter list. */
function dispositionParameters(parameters: string): { name?: string; filename?: string } {
  const found: { name?: string; filename?: string } = {};
  for (const match of parameters.matchAll(/(name|filename)\s*=\s*(?:"([^"]*)"|([^;\s]+))/gi)) {
    const key = match[1]?.toLowerCase() === 'name' ? 'name' : 'filename';
    found[key] ??= match[2] ?? match[3];
  }
  return found;
}

/**
 * A cursor over the body's lines (CRLF or LF). It walks the text once, finding each line break once, and builds no
 * list of lines, so a hostile body of many short lines costs time linear in its size and no memory beyond the parts.
 */
class LineCursor {
  /** Offset of the current line's first character. */
  start = 0;
  /** Offset just past the current line's last character (before its line break). */
  end = 0;
  /** Offset of the next line. */
  next = 0;
  /** Offset just past the last character that is not white space: a delimiter reaching it ends the body. */
  private readonly contentEnd: number;

  constructor(private readonly text: string) {
    this.contentEnd = text.trimEnd().length;
    this.moveTo(0);
  }

  get done(): boolean {
    return this.start >= this.text.length;
  }

  advance(): void {
    this.moveTo(this.next);
  }

  isBlank(): boolean {
    return this.end === this.start;
  }

  /** `pattern` (sticky) matched at offset `at` (default: the current line's start), or null. */
  match(pattern: RegExp, at = this.start): RegExpExecArray | null {
    pattern.lastIndex = at;
    return pattern.exec(this.text);
  }

  /** Whether the current line is a delimiter line (checked on its first two characters before any pattern). */
  isDelimiter(): boolean {
    return this.text.startsWith('--', this.start) && this.match(DELIMITER) !== null;
  }

  /** Whether the current line opens a part: a delimiter line directly followed by a form-data disposition. */
  opensPart(): boolean {
    return this.isDelimiter() && this.match(DISPOSITION, this.next) !== null;
  }

  /** Whether the current line ends the body: a delimiter line with nothing but white space after it. */
  endsBody(): boolean {
    return this.end >= this.contentEnd && this.isDelimiter();
  }

  private moveTo(at: number): void {
    const newline = this.text.indexOf('\n', at);
    const stop = newline < 0 ? this.text.length : newline;
    this.start = at;
    this.end = stop > at && this.text[stop - 1] === '\r' ? stop - 1 : stop;
    this.next = newline < 0 ? this.text.length : newline + 1;
  }
}

/**
 * Reads `body` leniently; `undefined` when it is not recognisably multipart. Throws `LenientLimitError` beyond the
 * field or file limits.
 */
export function readLenientMultipart(body: Buffer, limits: MultipartLimits): RequestBody | undefined {
  // latin1 maps every byte to one character and back, so offsets are byte offsets and values keep their bytes.
  const lines = new LineCursor(body.toString('latin1'));
  while (!lines.done && lines.isBlank()) lines.advance();
  if (lines.done || !lines.opensPart()) return undefined;
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let fieldCount = 0;
  while (!lines.done && !lines.endsBody()) {
    if (!lines.opensPart()) return undefined;
    lines.advance();
    const { name, filename } = dispositionParameters(lines.match(DISPOSITION)?.[1] ?? '');
    if (!name) return undefined;
    lines.advance();
    let contentType: string | undefined;
    for (let header = lines.match(PART_HEADER); header; header = lines.match(PART_HEADER)) {
      if (header[1]?.toLowerCase() === 'content-type') contentType = header[2]?.trim();
      lines.advance();
    }
    // A well-formed part has a blank line here; the seed's parts go straight on to their value.
    if (!lines.done && lines.isBlank()) lines.advance();
    const valueStart = lines.start;
    let valueEnd = valueStart;
    while (!lines.done && !lines.opensPart() && !lines.endsBody()) {
      // Blank lines before the next delimiter are layout (the seed has one), not part of the value.
      if (!lines.isBlank()) valueEnd = lines.end;
      lines.advance();
    }
    addPart(fields, files, { name, filename, contentType }, body.subarray(valueStart, valueEnd));
    if (files.length > limits.maxFiles) throw new LenientLimitError(`more than ${limits.maxFiles} files`);
    if (filename === undefined && ++fieldCount > limits.maxFields) {
      throw new LenientLimitError(`more than ${limits.maxFields} fields`);
    }
  }
  return { fields, files };
}

/** Adds one part's value as a field (UTF-8 text) or, with a filename, as a file. */
function addPart(fields: Record<string, string>, files: UploadedFile[], header: PartHeader, value: Buffer): void {
  if (header.filename === undefined) {
    fields[header.name] = value.toString('utf8');
    return;
  }
  files.push({
    field: header.name,
    filename: header.filename || header.name,
    contentType: header.contentType || 'application/octet-stream',
    data: Buffer.from(value),
  });
}
