/**
 * The audit of admin changes: who (the Basic-auth user), what and when. Entries live in storage, so every node of a
 * cluster writes to and lists the same audit: a shared counter (an atomic increment) numbers the entries, each entry
 * is its own record with a TTL, and the list reads the newest numbers downwards.
 */
import type { Logger } from '../logger.ts';
import type { AtomicOperations, KeyValueStore, StorageBackend } from '../storage/types.ts';

/** How long an entry is kept, in seconds (30 days). */
export const AUDIT_TTL_SECONDS = 30 * 24 * 3600;
/** The most entries one listing answers. */
export const AUDIT_MAX_LISTED = 1000;
/** The counter outlives any entry; it must expire some day (storage keeps nothing forever), so 10 years. */
const COUNTER_TTL_MS = 10 * 365 * 24 * 3600 * 1000;
const NAMESPACE = 'admin-audit';
const COUNTER = 'sequence';
/** Values of options named like this are never written to the audit. */
const SECRET_NAME = /pass|secret|token/i;

/** One recorded change. */
export interface AuditEntry {
  /** Increasing number of the change across the cluster. */
  readonly seq: number;
  /** When, ISO 8601 UTC. */
  readonly time: string;
  /** The Basic-auth user who made it. */
  readonly user: string;
  /** What was done, e.g. `service.create`, `pattern.delete`. */
  readonly action: string;
  /** The section changed, e.g. `service.iPhoneService`. */
  readonly target: string;
  /** The change itself (option values of secret-looking options are masked). */
  readonly details: Readonly<Record<string, unknown>>;
}

/** What a caller records; the log adds the number and the time. */
export type AuditRecord = Omit<AuditEntry, 'seq' | 'time'>;

/** The audit of one deployment. */
export class AuditLog {
  private readonly entries: KeyValueStore<AuditEntry>;
  private readonly counter: AtomicOperations;

  constructor(
    storage: StorageBackend,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = storage.namespace<AuditEntry>(NAMESPACE);
    this.counter = storage.atomic(NAMESPACE);
  }

  /**
   * Records one change that has been applied. It never throws: the change is in force whatever happens here, so a
   * storage failure must not turn its answer into an error; the entry goes to the log instead.
   */
  async record(record: AuditRecord): Promise<void> {
    const time = new Date(this.now()).toISOString();
    try {
      const seq = await this.counter.increment(COUNTER, 1, COUNTER_TTL_MS);
      await this.entries.set(String(seq), { seq, time, ...record }, AUDIT_TTL_SECONDS);
    } catch (error) {
      this.log.error('audit entry not stored', { time, ...record, error: String(error) });
    }
  }

  /** The most recent changes, newest first: at most `limit` (1 to AUDIT_MAX_LISTED), expired ones left out. */
  async recent(limit: number): Promise<AuditEntry[]> {
    const count = Math.min(Math.max(1, Math.floor(limit)), AUDIT_MAX_LISTED);
    const newest = Number((await this.counter.get(COUNTER)) ?? 0);
    const numbers = Array.from({ length: Math.min(count, newest) }, (_, i) => newest - i);
    const found = await Promise.all(numbers.map((seq) => this.entries.get(String(seq))));
    return found.filter((entry): entry is AuditEntry => entry !== undefined);
  }
}

/** Option values as the audit records them: values of options whose name looks secret are masked. */
export function auditedOptions(options: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(options).map(([name, value]) => [name, SECRET_NAME.test(name) ? '********' : value]),
  );
}
