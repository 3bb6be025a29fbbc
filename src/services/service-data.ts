/**
 * Service-scoped storage: the user data of a live service instance (the record of its `_data_id`), read and changed
 * through the instance id. A service created without user data gets a record on its first update, bound to the
 * instance; the record lives as long as the instance.
 */
import { Errors, gmsError } from '../errors.ts';
import type { ServiceInstance } from '../plugin-api.ts';
import { hasKey } from '../user-data/user-data-record.ts';
import type { StoredValue, UserDataInput, UserDataRecord, UserDataStore } from '../user-data/user-data-store.ts';
import type { InstanceStore } from './instance-store.ts';

/**
 * The data id of a service created without user data: its first service-scoped update stores the record under it.
 * Derived from the instance id, so two concurrent first updates merge into one record instead of racing, and a
 * match answers the same id before and after the app stored anything.
 */
export function serviceDataId(serviceId: string): string {
  return `${serviceId}:data`;
}

/** User data of service instances. */
export class ServiceData {
  constructor(
    private readonly instances: InstanceStore,
    private readonly userData: UserDataStore,
  ) {}

  /** The string keys of an instance's data; empty when it has none (yet). */
  async fields(serviceId: string): Promise<Readonly<Record<string, string>>> {
    const { record } = await this.dataOf(serviceId);
    return record?.fields ?? {};
  }

  /** The value of one key of an instance's data. */
  async readKey(serviceId: string, key: string): Promise<StoredValue> {
    const { dataId } = await this.withKey(serviceId, key);
    return this.userData.readKey(dataId, key, {});
  }

  /** Adds or replaces keys; creates the data (and binds it to the instance) when the instance has none. */
  async update(serviceId: string, input: UserDataInput): Promise<string> {
    const instance = await this.instance(serviceId);
    const dataId = instance.dataId ?? serviceDataId(instance.id);
    const ttlSeconds = Math.max(1, Math.ceil((instance.expiresAt - Date.now()) / 1000));
    await this.userData.upsert(dataId, input, ttlSeconds, {});
    if (!instance.dataId && !(await this.instances.bindData(instance.id, dataId))) {
      throw gmsError(Errors.SERVICE_INSTANCE_NOT_FOUND, { id: serviceId });
    }
    return dataId;
  }

  /** Deletes one key of an instance's data. */
  async deleteKey(serviceId: string, key: string): Promise<void> {
    const { dataId } = await this.withKey(serviceId, key);
    await this.userData.deleteKey(dataId, key, {});
  }

  private async withKey(serviceId: string, key: string): Promise<{ dataId: string; record: UserDataRecord }> {
    const { dataId, record } = await this.dataOf(serviceId);
    if (!dataId || !record || !hasKey(record, key))
      throw gmsError(Errors.SERVICE_DATA_KEY_NOT_FOUND, { id: serviceId, key });
    return { dataId, record };
  }

  private async dataOf(serviceId: string): Promise<{ dataId?: string; record?: UserDataRecord }> {
    const { dataId } = await this.instance(serviceId);
    return { dataId, record: dataId ? await this.userData.get(dataId) : undefined };
  }

  private async instance(id: string): Promise<ServiceInstance> {
    const instance = await this.instances.get(id);
    if (!instance) throw gmsError(Errors.SERVICE_INSTANCE_NOT_FOUND, { id });
    return instance;
  }
}
