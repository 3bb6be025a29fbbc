/**
 * Pattern groups through the admin API (seed 002, Tools > Patterns): list, create and delete groups, add, replace
 * and remove patterns, and test a value against a group. Patterns are checked before anything is written (a 400
 * names the pattern and the rule), and once more by the ConfigWriter with the same check as start-up.
 */
import type { ConfigWriter } from '../config/config-writer.ts';
import type { EngineConfig } from '../config/read-config.ts';
import { Errors, gmsError } from '../errors.ts';
import { matchingPatterns, type NamedPattern, patternProblem } from '../patterns/pattern-groups.ts';
import { type CreatePatternGroupBody, checkOptionName, checkSectionName } from './admin-input.ts';
import type { AuditLog } from './audit-log.ts';

/** A pattern group as the API answers it. */
export interface PatternGroupView {
  group: string;
  patterns: NamedPattern[];
}

/** The answer to a test: which patterns of the group the whole value matches (the UI highlights them). */
export interface PatternTestResult {
  group: string;
  value: string;
  matches: NamedPattern[];
}

/** Manages `[pattern.<group>]` sections. */
export class PatternAdmin {
  constructor(
    private readonly config: () => EngineConfig,
    private readonly writer: ConfigWriter,
    private readonly audit: AuditLog,
  ) {}

  /** Every group, in file order. */
  list(): PatternGroupView[] {
    return [...this.config().patterns].map(([group, patterns]) => view(group, patterns));
  }

  /** One group; 404 when it does not exist. */
  get(group: string): PatternGroupView {
    return view(group, this.patterns(this.config(), group));
  }

  /** Which patterns of `group` the whole of `value` matches. */
  test(group: string, value: string): PatternTestResult {
    return { group, value, matches: matchingPatterns(this.patterns(this.config(), group), value) };
  }

  /** Creates a group, optionally with patterns. */
  async createGroup(user: string, body: CreatePatternGroupBody): Promise<PatternGroupView> {
    checkSectionName('group', body.group);
    const patterns = Object.entries(body.patterns ?? {});
    for (const [name, pattern] of patterns) await checkPattern(body.group, name, pattern);
    await this.writer.change((document, current) => {
      if (current.patterns.has(body.group) || !document.addSection(`pattern.${body.group}`)) {
        throw gmsError(Errors.PATTERN_GROUP_EXISTS, { group: body.group });
      }
      for (const [name, pattern] of patterns) document.set(`pattern.${body.group}`, name, pattern);
    });
    await this.record(user, 'pattern-group.create', body.group, { patterns: body.patterns ?? {} });
    return this.get(body.group);
  }

  /** Deletes a group with its patterns. */
  async deleteGroup(user: string, group: string): Promise<void> {
    await this.writer.change((document, current) => {
      this.patterns(current, group);
      document.removeSection(`pattern.${group}`);
    });
    await this.record(user, 'pattern-group.delete', group, {});
  }

  /** Adds a pattern or replaces its expression; `created` tells which. */
  async putPattern(
    user: string,
    group: string,
    name: string,
    pattern: string,
  ): Promise<{ created: boolean; group: PatternGroupView }> {
    checkOptionName('name', name);
    await checkPattern(group, name, pattern);
    const created = await this.writer.change((document, current) => {
      const existed = this.patterns(current, group).has(name);
      document.set(`pattern.${group}`, name, pattern);
      return !existed;
    });
    await this.record(user, created ? 'pattern.create' : 'pattern.update', group, { name, pattern });
    return { created, group: this.get(group) };
  }

  /** Removes one pattern. */
  async deletePattern(user: string, group: string, name: string): Promise<PatternGroupView> {
    await this.writer.change((document, current) => {
      this.patterns(current, group);
      if (!document.delete(`pattern.${group}`, name)) throw gmsError(Errors.PATTERN_NOT_FOUND, { group, name });
    });
    await this.record(user, 'pattern.delete', group, { name });
    return this.get(group);
  }

  private patterns(config: EngineConfig, group: string) {
    const patterns = config.patterns.get(group);
    if (!patterns) throw gmsError(Errors.PATTERN_GROUP_NOT_FOUND, { group });
    return patterns;
  }

  private async record(user: string, action: string, group: string, details: Record<string, unknown>) {
    await this.audit.record({ user, action, target: `pattern.${group}`, details });
  }
}

function view(group: string, patterns: ReadonlyMap<string, string>): PatternGroupView {
  return { group, patterns: [...patterns].map(([name, pattern]) => ({ name, pattern })) };
}

async function checkPattern(group: string, name: string, pattern: string): Promise<void> {
  checkOptionName(`patterns.${name}`, name);
  const rule = /[\r\n]/.test(pattern) ? 'must be one line' : await patternProblem(pattern);
  if (rule !== undefined) throw gmsError(Errors.PATTERN_INVALID, { group, name, rule });
}
