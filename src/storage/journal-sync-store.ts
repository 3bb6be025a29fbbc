/**
 * The file backend's store: the live data is held in memory and every change is appended to a journal file, so a
 * single node keeps its data across a restart with no external server. The journal is compacted by writing the live
 * entries to a temporary file and renaming it over the journal, so a crash never leaves a half-written file: at worst
 * the last, torn line is ignored on the next start.
 */
import { createWriteStream, mkdirSync, readFileSync, renameSync, type WriteStream, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MemorySyncStore } from './sync-store.ts';

type JournalLine = ['s', string, number, unknown] | ['d', string];

/** Compaction runs once the journal holds this many lines more than there are live entries (and at least this). */
const COMPACT_AFTER_LINES = 10_000;

/** A SyncStore whose changes survive a restart through an append-only journal file. */
export class JournalSyncStore<T> extends MemorySyncStore<T> {
  private stream: WriteStream;
  private linesWritten = 0;

  /** Opens (or creates) the journal at `file` and replays it. */
  constructor(
    private readonly file: string,
    now: () => number = Date.now,
  ) {
    super(now);
    mkdirSync(path.dirname(file), { recursive: true });
    this.replay(now());
    this.compact();
    this.stream = createWriteStream(file, { flags: 'a' });
  }

  override write(key: string, value: T, expires: number): void {
    super.write(key, value, expires);
    this.append(['s', key, expires, value]);
  }

  override remove(key: string): boolean {
    const existed = super.remove(key);
    this.append(['d', key]);
    return existed;
  }

  /** Writes what is buffered and closes the journal. */
  async close(): Promise<void> {
    this.stop();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  private append(line: JournalLine): void {
    this.stream.write(`${JSON.stringify(line)}\n`);
    this.linesWritten++;
    if (this.linesWritten > COMPACT_AFTER_LINES + this.entries.size) {
      this.compact();
      this.stream.end();
      this.stream = createWriteStream(this.file, { flags: 'a' });
    }
  }

  private replay(now: number): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const row of text.split('\n')) {
      if (row === '') continue;
      let line: JournalLine;
      try {
        line = JSON.parse(row) as JournalLine;
      } catch {
        // Only the last line can be torn (a crash in the middle of an append); everything before it is whole.
        break;
      }
      if (line[0] === 's' && line[2] > now) this.entries.set(line[1], { value: line[3] as T, expires: line[2] });
      else this.entries.delete(line[1]);
    }
  }

  /** Rewrites the journal as one line per live entry, atomically. */
  private compact(): void {
    const lines = this.liveEntries().map(([key, entry]) => JSON.stringify(['s', key, entry.expires, entry.value]));
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, lines.length > 0 ? `${lines.join('\n')}\n` : '');
    renameSync(temporary, this.file);
    this.linesWritten = lines.length;
  }
}
