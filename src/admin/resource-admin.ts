/**
 * Resource groups through the admin API (seed 002, Tools > Resources): create and delete groups, add and remove
 * access numbers and ranges, change the strategy and booking timeout. Every change goes through the ConfigWriter
 * (checked like the file at start-up, written back with comments kept, 409 on a hand edit) and is audited; every
 * answer carries the group's live total / available / reserved.
 *
 * Numbers reserved right now are protected: removing them (or deleting their group) is refused with 409 naming the
 * services holding them, unless `force` is given. A forced change is written first and the reservations on the
 * removed numbers are released after: once the file is applied no new booking can take those numbers, so none slips
 * in between, and a refused write releases nothing.
 */
import type { ConfigWriter } from '../config/config-writer.ts';
import type { EngineConfig, SectionOptions } from '../config/read-config.ts';
import { Errors, gmsError } from '../errors.ts';
import type { NumberSet } from '../resources/access-numbers.ts';
import type { ResourceManager } from '../resources/resource-manager.ts';
import type { StoredReservation } from '../resources/resource-store.ts';
import type { ResourceGroupState } from '../resources/types.ts';
import type { CreateResourceGroupBody, ResourceNumbersBody, UpdateResourceGroupBody } from './admin-input.ts';
import { checkSectionName } from './admin-input.ts';
import type { AuditLog } from './audit-log.ts';
import {
  entryNumbers,
  findEntry,
  groupEntries,
  newEntries,
  type ResourceEntry,
  sectionNumbers,
} from './resource-entries.ts';

/** A group as the admin API answers it: live counters and the access-number lines of its section. */
export interface ResourceGroupView extends ResourceGroupState {
  readonly entries: ResourceEntry[];
}

/** What a forced change did besides the change itself. */
export interface Released {
  /** Reservations released because their numbers were removed. */
  readonly released: number;
}

/** What the resource admin needs from the engine. */
export interface ResourceAdminTarget {
  /** The configuration in force. */
  config(): EngineConfig;
  readonly resources: ResourceManager;
  /** The configured service a live instance belongs to (undefined once it is gone). */
  serviceOf(id: string): Promise<string | undefined>;
}

/** Holders named in a refusal before the list is cut. */
const NAMED_HOLDERS = 3;
const STRATEGY = '_allocation_strategy';
const BOOKING = '_booking_expiration_timeout';

/** Manages `[resource.<group>]` sections. */
export class ResourceAdmin {
  constructor(
    private readonly target: ResourceAdminTarget,
    private readonly writer: ConfigWriter,
    private readonly audit: AuditLog,
  ) {}

  /** One group's counters and lines; 404 when it is not configured. */
  async get(group: string): Promise<ResourceGroupView> {
    const section = this.section(this.target.config(), group);
    const detail = await this.target.resources.group(group, { offset: 0, limit: 0 });
    if (!detail) throw gmsError(Errors.RESOURCE_GROUP_NOT_FOUND, { group });
    const { reservations: _none, ...counters } = detail;
    return { ...counters, entries: groupEntries(section) };
  }

  /** Creates `[resource.<group>]` with its options and numbers. */
  async create(user: string, body: CreateResourceGroupBody): Promise<ResourceGroupView> {
    checkSectionName('group', body.group);
    const entries = newEntries(body, []);
    const name = `resource.${body.group}`;
    await this.writer.change((document, current) => {
      if (current.resources.has(body.group) || !document.addSection(name)) {
        throw gmsError(Errors.RESOURCE_GROUP_EXISTS, { group: body.group });
      }
      if (body.strategy !== undefined) document.set(name, STRATEGY, body.strategy);
      if (body.booking_expiration_timeout !== undefined) {
        document.set(name, BOOKING, String(body.booking_expiration_timeout));
      }
      for (const entry of entries) document.set(name, entry.option, entry.value);
    });
    await this.record(user, 'resource-group.create', body.group, { ...body });
    return this.get(body.group);
  }

  /** Sets or (with null) removes the strategy and booking timeout. */
  async update(user: string, group: string, body: UpdateResourceGroupBody): Promise<ResourceGroupView> {
    await this.writer.change((document, current) => {
      this.section(current, group);
      const name = `resource.${group}`;
      for (const [option, value] of [
        [STRATEGY, body.strategy],
        [BOOKING, body.booking_expiration_timeout],
      ] as const) {
        if (value === null) document.delete(name, option);
        else if (value !== undefined) document.set(name, option, String(value));
      }
    });
    await this.record(user, 'resource-group.update', group, { ...body });
    return this.get(group);
  }

  /** Adds numbers (`dnisN`) and ranges (`rangeN`). */
  async addNumbers(user: string, group: string, body: ResourceNumbersBody): Promise<ResourceGroupView> {
    const added = await this.writer.change((document, current) => {
      const entries = newEntries(body, this.section(current, group).keys());
      for (const entry of entries) document.set(`resource.${group}`, entry.option, entry.value);
      return entries;
    });
    await this.record(user, 'resource-numbers.add', group, { added });
    return this.get(group);
  }

  /** Removes one number or range line; its live reservations refuse it (409) unless `force` releases them. */
  async removeEntry(
    user: string,
    group: string,
    entry: string,
    options: { force: boolean },
  ): Promise<ResourceGroupView & Released> {
    const line = findEntry(group, this.section(this.target.config(), group), entry);
    const numbers = entryNumbers(line);
    if (!options.force) {
      await this.refuseReserved(numbers, (holders) =>
        gmsError(Errors.RESOURCE_NUMBERS_RESERVED, { group, entry: `${line.option} = ${line.value}`, holders }),
      );
    }
    await this.writer.change((document, current) => {
      const now = findEntry(group, this.section(current, group), entry);
      document.delete(`resource.${group}`, now.option);
    });
    const released = options.force ? await this.releaseOn(numbers) : [];
    await this.record(user, 'resource-numbers.remove', group, { removed: line, force: options.force, released });
    return { ...(await this.get(group)), released: released.length };
  }

  /** Deletes a group; refused while a service names it, or (unless `force`) while its numbers are reserved. */
  async deleteGroup(user: string, group: string, options: { force: boolean }): Promise<Released> {
    const config = this.target.config();
    refuseInUse(config, group);
    const numbers = sectionNumbers(this.section(config, group));
    if (!options.force) {
      await this.refuseReserved(numbers, (holders, count) =>
        gmsError(Errors.RESOURCE_GROUP_RESERVED, { group, count, holders }),
      );
    }
    await this.writer.change((document, current) => {
      this.section(current, group);
      refuseInUse(current, group);
      document.removeSection(`resource.${group}`);
    });
    const released = options.force ? await this.releaseOn(numbers) : [];
    await this.record(user, 'resource-group.delete', group, { force: options.force, released });
    return { released: released.length };
  }

  private async refuseReserved(numbers: NumberSet, refusal: (holders: string, count: number) => Error): Promise<void> {
    const reservations = await this.target.resources.reservationsOn(numbers);
    if (reservations.length === 0) return;
    const named = await Promise.all(reservations.slice(0, NAMED_HOLDERS).map((r) => this.describeHolder(r)));
    const more = reservations.length - named.length;
    throw refusal([...named, ...(more > 0 ? [`and ${more} more`] : [])].join('; '), reservations.length);
  }

  private async describeHolder(reservation: StoredReservation): Promise<string> {
    const service = await this.target.serviceOf(reservation.serviceId);
    const who = service === undefined ? 'a service instance that has ended' : `service ${service}`;
    return `${reservation.number} held by ${who} (_id ${reservation.serviceId}) until ${new Date(reservation.expiresAt).toISOString()}`;
  }

  /** Releases the live reservations on numbers that were just removed; returns their ids. */
  private async releaseOn(numbers: NumberSet): Promise<string[]> {
    const live = await this.target.resources.reservationsOn(numbers);
    if (live.length === 0) return [];
    return (await this.target.resources.release(live)).map((r) => r.id);
  }

  private section(config: EngineConfig, group: string): SectionOptions {
    const section = config.resources.get(group);
    if (!section) throw gmsError(Errors.RESOURCE_GROUP_NOT_FOUND, { group });
    return section;
  }

  private async record(user: string, action: string, group: string, details: Record<string, unknown>) {
    await this.audit.record({ user, action, target: `resource.${group}`, details });
  }
}

/** 409 while a configured service names the group in `_resource_group`. */
function refuseInUse(config: EngineConfig, group: string): void {
  const services = [...config.services]
    .filter(([, section]) => section.get('_resource_group') === group)
    .map(([name]) => name);
  if (services.length > 0) throw gmsError(Errors.RESOURCE_GROUP_IN_USE, { group, services: services.join(', ') });
}
