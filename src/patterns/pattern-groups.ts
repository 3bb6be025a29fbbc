/**
 * Pattern groups (`[pattern.<group>]`, seed 002 "Patterns"): named regular expressions, used for example as callback
 * exceptions. A value matches a pattern when the whole value matches it (as Java's `String.matches` does, so
 * `555.*` means "starts with 555"). Every pattern is checked when the configuration is read, by start-up, live
 * reload and the admin API alike: it must be a valid expression that cannot take catastrophic time.
 */
import path from 'node:path';
import type { ConfigIssue } from '../config/config-error.ts';
import type { EngineConfig, SectionOptions } from '../config/read-config.ts';
import { catastrophicBacktracking } from './regex-safety.ts';

/** One pattern of a group. */
export interface NamedPattern {
  readonly name: string;
  readonly pattern: string;
}

/** The expression actually run: the pattern anchored at both ends (a pattern that compiles alone is balanced). */
function wholeValueSource(pattern: string): string {
  return `^(?:${pattern})$`;
}

/** Why `pattern` is refused, or undefined when it may be saved. */
export async function patternProblem(pattern: string): Promise<string | undefined> {
  if (pattern === '') return 'must not be empty';
  try {
    new RegExp(pattern);
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
  const danger = await catastrophicBacktracking(wholeValueSource(pattern));
  return danger === undefined ? undefined : `is refused: ${danger}`;
}

/** Checks every pattern of every group of `config`; the problems name the section, the pattern and the rule. */
export async function checkPatternGroups(config: EngineConfig): Promise<ConfigIssue[]> {
  const file = path.basename(config.file);
  const checks = [...config.patterns].flatMap(([group, patterns]) =>
    [...patterns].map(async ([name, pattern]) => {
      const rule = await patternProblem(pattern);
      return rule === undefined ? [] : [{ file, section: `pattern.${group}`, option: name, rule }];
    }),
  );
  return (await Promise.all(checks)).flat();
}

/** The patterns of a group that the whole of `value` matches, in file order. */
export function matchingPatterns(patterns: SectionOptions, value: string): NamedPattern[] {
  return [...patterns]
    .filter(([, pattern]) => new RegExp(wholeValueSource(pattern)).test(value))
    .map(([name, pattern]) => ({ name, pattern }));
}
