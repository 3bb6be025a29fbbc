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

/** A delimiter line: `--`, then a boundary token (RFC 2046: at most 70 characters, no spaces), maybe a closing `--`. */
const DELIMITER = /^--[0-9A-Za-z'()+_,./:=?-]{1,72}$/;
const DISPOSITION = /^content-disposition:\s*form-data\s*;(.*)$/i;
/** Part headers other than Content-Disposition; any other line after the disposition starts the value. */
const PART_HEADER = /^(content-type|content-transfer-encoding):\s*(.*)$/i;

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

/** One line of the body: its text (without the line break) and where it starts and ends in the body. */
interface Line {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** The body's lines, CRLF or LF, with their offsets (the text is latin1, so offsets are byte offsets). */
function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const stop = newline < 0 ? text.length : newline;
    const end = stop > start && text[stop - 1] === '\r' ? stop - 1 : stop;
    lines.push({ text: text.slice(start, end), start, end });
    if (newline < 0) break;
    start = newline + 1;
  }
  return lines;
}

/** Whether line `index` opens a part: a delimiter line followed by a form-data disposition. */
function opensPart(lines: readonly Line[], index: number): boolean {
  return DELIMITER.test(lines[index]?.text ?? '') && DISPOSITION.test(lines[index + 1]?.text ?? '');
}

/** Whether line `index` and every line after it are the end: a delimiter line then nothing but blank lines. */
function endsBody(lines: readonly Line[], index: number): boolean {
  if (!DELIMITER.test(lines[index]?.text ?? '')) return false;
  return lines.slice(index + 1).every((line) => line.text.trim() === '');
}

/**
 * Reads `body` leniently; `undefined` when it is not recognisably multipart. Throws `LenientLimitError` beyond the
 * field or file limits.
 */
export function readLenientMultipart(body: Buffer, limits: MultipartLimits): RequestBody | undefined {
  // latin1 maps every byte to one character and back, so offsets are byte offsets and values keep their bytes.
  const text = body.toString('latin1');
  const lines = linesOf(text);
  let index = lines.findIndex((line) => line.text.trim() !== '');
  if (index < 0 || !opensPart(lines, index)) return undefined;
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let fieldCount = 0;
  while (index < lines.length && !endsBody(lines, index)) {
    if (!opensPart(lines, index)) return undefined;
    const disposition = DISPOSITION.exec(lines[index + 1]?.text ?? '');
    const { name, filename } = dispositionParameters(disposition?.[1] ?? '');
    if (!name) return undefined;
    let contentType: string | undefined;
    index += 2;
    for (let header = PART_HEADER.exec(lines[index]?.text ?? ''); header; ) {
      if (header[1]?.toLowerCase() === 'content-type') contentType = header[2]?.trim();
      index++;
      header = PART_HEADER.exec(lines[index]?.text ?? '');
    }
    // A well-formed part has a blank line here; the seed's parts go straight on to their value.
    if (lines[index]?.text === '') index++;
    const first = lines[index];
    const valueStart = first?.start ?? text.length;
    let valueEnd = valueStart;
    while (index < lines.length && !opensPart(lines, index) && !endsBody(lines, index)) {
      // Blank lines before the next delimiter are layout (the seed has one), not part of the value.
      const line = lines[index];
      if (line && line.text !== '') valueEnd = line.end;
      index++;
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
