/** Live service instances, stored with the TTL of their service (`_ttl`). */
import type { ServiceInstance } from '../plugin-api.ts';
import type { KeyValueStore, StorageBackend } from '../storage/types.ts';

/** Reads and writes service instances. */
export class InstanceStore {
  private readonly records: KeyValueStore<ServiceInstance>;

  constructor(storage: StorageBackend) {
    this.records = storage.namespace<ServiceInstance>('services');
  }

  /** A live instance, or undefined. */
  async get(id: string): Promise<ServiceInstance | undefined> {
    const instance = await this.records.get(id);
    return instance && instance.expiresAt > Date.now() ? instance : undefined;
  }

  /** Stores an instance until its `expiresAt`. */
  async put(instance: ServiceInstance): Promise<void> {
    await this.records.set(instance.id, instance, Math.max(0.001, (instance.expiresAt - Date.now()) / 1000));
  }

  /** Records the user data id of a live instance; false when the instance is gone. */
  async bindData(id: string, dataId: string): Promise<boolean> {
    const instance = await this.get(id);
    if (!instance) return false;
    if (instance.dataId !== dataId) await this.put({ ...instance, dataId });
    return true;
  }

  /** Deletes; true when it existed. */
  async delete(id: string): Promise<boolean> {
    return this.records.delete(id);
  }
}
