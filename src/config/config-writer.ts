/**
 * Writes configuration changes made through the admin API back to the INI file, so that the file stays the one
 * source of truth and live reload and the API always agree. One change at a time:
 * 1. the file on disk must still be the text the engine loaded: a hand edit made meanwhile is never overwritten
 *    (409), whatever it contains;
 * 2. the change is applied to a fresh line-preserving copy of that text (comments, blank lines, order and untouched
 *    sections stay byte for byte);
 * 3. the new text is checked with the same code as start-up and live reload; any problem refuses the change (400)
 *    and the file is not touched;
 * 4. the file is replaced atomically (temporary file, fsync, rename; mode, owner and symlinks kept, by
 *    write-file-atomic), after checking once more that nobody edited it during the check;
 * 5. the engine reloads the file, so it serves exactly what the file says.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Mutex } from 'async-mutex';
import writeFileAtomic from 'write-file-atomic';
import { Errors, gmsError } from '../errors.ts';
import { type ConfigIssue, formatIssue } from './config-error.ts';
import { IniDocument } from './ini-document.ts';
import { UnwritableValueError } from './ini-line.ts';
import { type EngineConfig, parseConfig } from './read-config.ts';

/** What the writer changes: the engine (its configuration in force, its one check, its reload). */
export interface ConfigTarget {
  /** The configuration in force; its `text` is what the engine loaded. */
  readonly config: EngineConfig;
  /** The check start-up and live reload use. */
  check(config: EngineConfig): Promise<{ issues: ConfigIssue[] }>;
  /** Re-reads the file and applies it when valid. */
  reload(): Promise<{ applied: boolean; issues: ConfigIssue[] }>;
}

/**
 * A change: edits the document (a copy of the file in force) and returns what the caller wants back. It may throw
 * a GmsError (e.g. 404 for a missing service); nothing is written then.
 */
export type ConfigEdit<T> = (document: IniDocument, current: EngineConfig) => T;

/** Serializes and applies configuration changes. */
export class ConfigWriter {
  private readonly lock = new Mutex();

  constructor(private readonly target: ConfigTarget) {}

  /** Applies one change (see the file comment); resolves with the edit's result once the engine serves it. */
  change<T>(edit: ConfigEdit<T>): Promise<T> {
    return this.lock.runExclusive(() => this.changeNow(edit));
  }

  private async changeNow<T>(edit: ConfigEdit<T>): Promise<T> {
    const base = this.target.config;
    await this.ensureUnchangedOnDisk(base);
    const { document } = IniDocument.parse(base.text);
    const result = applyEdit(edit, document, base);
    const text = document.toString();
    if (text === base.text) return result;
    const { config, issues } = parseConfig(base.file, text);
    const problems = [...issues, ...(await this.target.check(config)).issues];
    if (problems.length > 0) throw invalidChange(problems);
    await this.ensureUnchangedOnDisk(base);
    await writeFileAtomic(base.file, text, { encoding: 'utf8', fsync: true });
    const reload = await this.target.reload();
    if (reload.issues.length > 0) {
      // Only a template change racing with this one gets here: put the file back as it was, then refuse.
      await this.restore(base, text);
      throw invalidChange(reload.issues);
    }
    return result;
  }

  /** 409 unless the file on disk is exactly the text the engine loaded. */
  private async ensureUnchangedOnDisk(base: EngineConfig): Promise<void> {
    const onDisk = await readFile(base.file, 'utf8').catch(() => undefined);
    if (onDisk !== base.text) throw gmsError(Errors.CONFIG_CHANGED_ON_DISK, { file: path.basename(base.file) });
  }

  private async restore(base: EngineConfig, written: string): Promise<void> {
    const onDisk = await readFile(base.file, 'utf8').catch(() => undefined);
    if (onDisk === written) await writeFileAtomic(base.file, base.text, { encoding: 'utf8', fsync: true });
  }
}

function applyEdit<T>(edit: ConfigEdit<T>, document: IniDocument, base: EngineConfig): T {
  try {
    return edit(document, base);
  } catch (error) {
    if (error instanceof UnwritableValueError) {
      throw gmsError(Errors.CONFIG_CHANGE_INVALID, { detail: error.message });
    }
    throw error;
  }
}

function invalidChange(problems: readonly ConfigIssue[]) {
  return gmsError(Errors.CONFIG_CHANGE_INVALID, { detail: problems.map(formatIssue).join('; ') });
}
