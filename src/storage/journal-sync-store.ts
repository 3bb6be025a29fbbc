/**
 * The file backend's store: the live data is held in memory and every change is appended to a journal file before
 * it is applied, so a single node keeps its data across a restart with no external server. Appends are synchronous
 * writes: once a call returns, its line is in the operating system's hands and survives a crash of the process.
 * The journal is compacted by writing the live entries to a temporary file, flushing it to disk and renaming it over
 * the journal, so a crash never leaves a half-written journal: at worst a torn last line, skipped on the next open.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { MemorySyncStore } from './sync-store.ts';

/** A set (key, expiry, value) or a delete (key). */
type JournalLine = ['s', string, number, string] | ['d', string];

/** By default, compaction runs once the journal holds this many lines more than twice the live entries. */
export const DEFAULT_COMPACT_AFTER_LINES = 10_000;

/** Where a journal lives and when it is compacted. */
export interface JournalOptions {
  /** The journal file; its folder is created when missing. */
  file: string;
  /** Lines tolerated beyond twice the live entries before compaction (default 10,000). */
  compactAfterLines?: number;
}

/** A SyncStore of strings whose changes survive a restart through an append-only journal file. */
export class JournalSyncStore extends MemorySyncStore<string> {
  private readonly file: string;
  private readonly compactAfterLines: number;
  private fd: number;
  private linesInFile = 0;
  /** Set when an append failed: the file may end in a partial line, so it is rewritten before the next append. */
  private rewriteNeeded = false;
  private closed = false;

  /** Opens (or creates) the journal, replays it and rewrites it with the live entries only. */
  constructor(options: JournalOptions) {
    super();
    this.file = options.file;
    this.compactAfterLines = options.compactAfterLines ?? DEFAULT_COMPACT_AFTER_LINES;
    mkdirSync(path.dirname(this.file), { recursive: true });
    this.replay();
    this.fd = this.rewrite();
  }

  override write(key: string, value: string, expires: number): void {
    this.append(['s', key, expires, value]);
    super.write(key, value, expires);
  }

  override remove(key: string): boolean {
    if (this.entries.has(key)) this.append(['d', key]);
    return super.remove(key);
  }

  /** Stops the sweeper and closes the journal; later writes throw. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    closeSync(this.fd);
  }

  private append(line: JournalLine): void {
    if (this.closed) throw new Error(`storage journal ${this.file} is closed`);
    if (this.rewriteNeeded || this.linesInFile > this.entries.size * 2 + this.compactAfterLines) {
      const previous = this.fd;
      this.fd = this.rewrite();
      closeSync(previous);
    }
    try {
      writeSync(this.fd, `${JSON.stringify(line)}\n`);
    } catch (error) {
      this.rewriteNeeded = true;
      throw error;
    }
    this.linesInFile++;
  }

  private replay(): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const now = Date.now();
    for (const row of text.split('\n')) {
      // A line that cannot be read is a torn last line (a crash in the middle of an append): skip it.
      const line = parseLine(row);
      if (line === undefined) continue;
      if (line[0] === 's' && line[2] > now) this.put(line[1], line[3], line[2]);
      else this.entries.delete(line[1]);
    }
  }

  /** Writes the live entries to a new journal, atomically, and returns a descriptor to append to it. */
  private rewrite(): number {
    const lines = this.liveEntries().map(
      ([key, entry]) => `${JSON.stringify(['s', key, entry.expires, entry.value])}\n`,
    );
    const temporary = `${this.file}.tmp`;
    const out = openSync(temporary, 'w');
    try {
      writeSync(out, lines.join(''));
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(temporary, this.file);
    this.linesInFile = lines.length;
    this.rewriteNeeded = false;
    return openSync(this.file, 'a');
  }
}

function parseLine(row: string): JournalLine | undefined {
  let line: unknown;
  try {
    line = JSON.parse(row);
  } catch {
    return undefined;
  }
  if (!Array.isArray(line) || typeof line[1] !== 'string') return undefined;
  if (line[0] === 'd' && line.length === 2) return ['d', line[1]];
  if (line[0] === 's' && typeof line[2] === 'number' && typeof line[3] === 'string') {
    return ['s', line[1], line[2], line[3]];
  }
  return undefined;
}
