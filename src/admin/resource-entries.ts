/**
 * The access-number lines of a `[resource.<group>]` section as the admin API handles them: checking and writing
 * numbers and ranges sent in a body, naming their options (`dnisN`, `rangeN`), and finding the line an admin asks to
 * remove. The full check of a group (overlaps, size, strategy) stays in group-config.ts, which the ConfigWriter runs.
 */
import type { SectionOptions } from '../config/read-config.ts';
import { Errors, gmsError } from '../errors.ts';
import { type NumberSegment, NumberSet, parseNumberOption } from '../resources/access-numbers.ts';
import type { ResourceNumbersBody } from './admin-input.ts';

/** One access-number line of a group: its option and its value as written in the file. */
export interface ResourceEntry {
  readonly option: string;
  readonly value: string;
}

/** Entries listed in a "not found" hint before the list is cut. */
const HINT_ENTRIES = 10;

/** The access-number lines of a section, in file order (options without a leading `_`). */
export function groupEntries(section: SectionOptions): ResourceEntry[] {
  return [...section].filter(([option]) => !option.startsWith('_')).map(([option, value]) => ({ option, value }));
}

/** Every number of a section (lines that do not parse are left out: the configuration in force has none). */
export function sectionNumbers(section: SectionOptions): NumberSet {
  return new NumberSet(groupEntries(section).flatMap((entry) => segmentOf(entry) ?? []));
}

/**
 * The lines to add for a body's numbers and ranges, named after the options already in the section (`dnis11` after
 * `dnis10`); each value is checked and written without spaces. A 400 names the body field and the rule.
 */
export function newEntries(body: ResourceNumbersBody, existing: Iterable<string>): ResourceEntry[] {
  const taken = new Set(existing);
  const entries: ResourceEntry[] = [];
  const add = (field: 'numbers' | 'ranges', prefix: string) => {
    (body[field] ?? []).forEach((text, index) => {
      const value = checkedValue(`${field}[${index}]`, text, { range: field === 'ranges' });
      const option = nextOption(prefix, taken);
      taken.add(option);
      entries.push({ option, value });
    });
  };
  add('numbers', 'dnis');
  add('ranges', 'range');
  return entries;
}

/**
 * The line `entry` names: its value as configured (`6504664131`, `6504664100-6504664199`, spaces ignored) or its
 * option name (`dnis3`). 404 otherwise, with a hint (a number inside a range cannot be removed alone).
 */
export function findEntry(group: string, section: SectionOptions, entry: string): ResourceEntry {
  const entries = groupEntries(section);
  const wanted = entry.replace(/\s+/g, '');
  const found =
    entries.find((candidate) => candidate.value.replace(/\s+/g, '') === wanted) ??
    entries.find((candidate) => candidate.option === entry);
  if (found) return found;
  const inside = entries.find((candidate) => entryNumbers(candidate).has(wanted));
  const listed = entries.slice(0, HINT_ENTRIES).map((e) => `${e.option} = ${e.value}`);
  throw gmsError(Errors.RESOURCE_ENTRY_NOT_FOUND, {
    group,
    entry,
    hint: inside
      ? `it lies inside ${inside.option} = ${inside.value}: remove that range, then add back the numbers to keep`
      : `give a number or range exactly as configured, or its option name (${listed.join(', ')}${entries.length > HINT_ENTRIES ? ', ...' : ''})`,
  });
}

/** The numbers of one line. */
export function entryNumbers(entry: ResourceEntry): NumberSet {
  const segment = segmentOf(entry);
  return new NumberSet(segment ? [segment] : []);
}

function segmentOf(entry: ResourceEntry): NumberSegment | undefined {
  const parsed = parseNumberOption(entry.option, entry.value);
  return 'rule' in parsed ? undefined : parsed;
}

function checkedValue(field: string, text: string, kind: { range: boolean }): string {
  const parsed = parseNumberOption(field, text);
  if ('rule' in parsed) throw gmsError(Errors.INVALID_PARAMETER, { field, rule: parsed.rule });
  const isRange = text.includes('-');
  if (isRange !== kind.range) {
    throw gmsError(Errors.INVALID_PARAMETER, {
      field,
      rule: kind.range
        ? `must be a range first-last, got "${text}": send a single number in numbers`
        : `must be a single access number, got "${text}": send a range in ranges`,
    });
  }
  return text.replace(/\s+/g, '');
}

function nextOption(prefix: string, taken: ReadonlySet<string>): string {
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  let highest = 0;
  for (const option of taken) highest = Math.max(highest, Number(pattern.exec(option)?.[1] ?? 0));
  return `${prefix}${highest + 1}`;
}
