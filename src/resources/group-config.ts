/**
 * Resource groups from the configuration: each `[resource.<group>]` section is checked completely (every option,
 * every number, overlaps with other groups) and turned into a frozen `GroupDefinition`. Problems use the same
 * `ConfigIssue` shape as service sections, so a broken group stops start-up and a live reload is refused.
 */
import path from 'node:path';
import type { ConfigIssue } from '../config/config-error.ts';
import type { EngineConfig, SectionOptions } from '../config/read-config.ts';
import {
  findOverlaps,
  type NumberSegment,
  NumberSet,
  type PlacedSegment,
  parseNumberOption,
} from './access-numbers.ts';
import type { AllocationStrategy } from './types.ts';

/** A configured resource group. */
export interface GroupDefinition {
  readonly name: string;
  readonly strategy: AllocationStrategy;
  /** True for `locking`: a number is held by one service at a time. */
  readonly locking: boolean;
  /** `_booking_expiration_timeout`, seconds. */
  readonly bookingSeconds: number;
  readonly numbers: NumberSet;
}

/** Default `_booking_expiration_timeout` (GMS template value). */
export const DEFAULT_BOOKING_SECONDS = 30;
/** Longest booking accepted, in seconds (a day): a booking is a short hold for a call that is about to be made. */
export const MAX_BOOKING_SECONDS = 86_400;
/** Most numbers in one group. */
export const MAX_GROUP_SIZE = 1_000_000;

const STRATEGIES: Readonly<Record<string, AllocationStrategy>> = {
  random: 'random',
  local: 'random',
  'round-robin': 'round-robin',
  locking: 'locking',
};
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const KNOWN_OPTIONS = ['_allocation_strategy', '_booking_expiration_timeout'];

type Problem = { option: string; rule: string };

/** Checks every `[resource.<group>]` section; returns the valid groups and every problem found. */
export function buildResourceGroups(config: EngineConfig): {
  groups: Map<string, GroupDefinition>;
  issues: ConfigIssue[];
} {
  const file = path.basename(config.file);
  const groups = new Map<string, GroupDefinition>();
  const issues: ConfigIssue[] = [];
  const placed: PlacedSegment[] = [];
  for (const [name, section] of config.resources) {
    const result = buildGroup(name, section);
    if ('problems' in result) {
      for (const problem of result.problems) issues.push({ file, section: `resource.${name}`, ...problem });
      continue;
    }
    groups.set(name, result.group);
    for (const segment of result.group.numbers.segments) placed.push({ group: name, segment });
  }
  for (const { earlier, later, number } of findOverlaps(placed)) {
    issues.push({
      file,
      section: `resource.${later.group}`,
      option: later.segment.option,
      rule: `number ${number} is also declared by [resource.${earlier.group}] ${earlier.segment.option}: an access number belongs to one group and is listed once, so a call matches one reservation`,
    });
  }
  return { groups, issues };
}

/** Checks that every service naming a `_resource_group` in the file names a configured group. */
export function checkGroupReferences(
  config: EngineConfig,
  groups: ReadonlyMap<string, GroupDefinition>,
): ConfigIssue[] {
  const file = path.basename(config.file);
  const issues: ConfigIssue[] = [];
  for (const [service, section] of config.services) {
    const group = section.get('_resource_group');
    if (group !== undefined && group !== '' && !groups.has(group)) {
      issues.push({
        file,
        section: `service.${service}`,
        option: '_resource_group',
        rule: `names resource group ${group}, which is not configured: add a [resource.${group}] section with its access numbers`,
      });
    }
  }
  return issues;
}

function buildGroup(name: string, section: SectionOptions): { group: GroupDefinition } | { problems: Problem[] } {
  const problems: Problem[] = [];
  if (!GROUP_NAME.test(name)) {
    problems.push({
      option: '(section)',
      rule: 'a group name is 1 to 64 letters, digits, _ . or -, starting with a letter or digit',
    });
  }
  const strategy = strategyOf(section.get('_allocation_strategy'), problems);
  const bookingSeconds = bookingOf(section.get('_booking_expiration_timeout'), problems);
  const segments: NumberSegment[] = [];
  for (const [option, value] of section) {
    if (option.startsWith('_')) {
      if (!KNOWN_OPTIONS.includes(option)) {
        problems.push({
          option,
          rule: `is not an option of a resource group (known: ${KNOWN_OPTIONS.join(', ')}; access numbers have no leading _)`,
        });
      }
      continue;
    }
    const parsed = parseNumberOption(option, value);
    if ('rule' in parsed) problems.push({ option, rule: parsed.rule });
    else segments.push(parsed);
  }
  const numbers = new NumberSet(segments);
  if (segments.length === 0 && problems.length === 0) {
    problems.push({
      option: '(section)',
      rule: 'has no access numbers: add one per option (dnis1 = 6504664131) or a range (range1 = 6504664100-6504664199)',
    });
  }
  if (numbers.size > MAX_GROUP_SIZE) {
    problems.push({
      option: '(section)',
      rule: `holds ${numbers.size} numbers; a group holds at most ${MAX_GROUP_SIZE}`,
    });
  }
  if (problems.length > 0) return { problems };
  return {
    group: Object.freeze({ name, strategy, locking: strategy === 'locking', bookingSeconds, numbers }),
  };
}

function strategyOf(value: string | undefined, problems: Problem[]): AllocationStrategy {
  if (value === undefined || value.trim() === '') return 'random';
  const strategy = STRATEGIES[value.trim().toLowerCase()];
  if (!strategy) {
    problems.push({
      option: '_allocation_strategy',
      rule: `must be one of random, round-robin, locking, local (local means random), got "${value}"`,
    });
    return 'random';
  }
  return strategy;
}

function bookingOf(value: string | undefined, problems: Problem[]): number {
  if (value === undefined || value.trim() === '') return DEFAULT_BOOKING_SECONDS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_BOOKING_SECONDS) {
    problems.push({
      option: '_booking_expiration_timeout',
      rule: `must be a whole number of seconds from 1 to ${MAX_BOOKING_SECONDS}, got "${value}"`,
    });
    return DEFAULT_BOOKING_SECONDS;
  }
  return seconds;
}
