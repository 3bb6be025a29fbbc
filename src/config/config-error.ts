/** Errors of configuration: each names the file, the section, the option and the broken rule. */

/** One problem in the configuration file. */
export interface ConfigIssue {
  /** The configuration file. */
  file: string;
  /** Section name without brackets, e.g. `service.iPhoneService`. */
  section: string;
  /** The option concerned, or `(section)`. */
  option: string;
  /** What is wrong. */
  rule: string;
}

/** Formats one issue as `file [section] option: rule`. */
export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file} [${issue.section}] ${issue.option}: ${issue.rule}`;
}

/** Thrown when a configuration cannot be used; lists every problem found. */
export class ConfigError extends Error {
  /** Every problem found, not only the first. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem(s)):\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
