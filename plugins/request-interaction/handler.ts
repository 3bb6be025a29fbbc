/**
 * request-interaction (seed 000, "Simple Voice Inbound-Immediate Call"): the engine has already stored the app's
 * data (non-underscore fields and files) under `_data_id`; this books an access number, and an access code when
 * `_provide_code` is true, from `_resource_group`, and answers `_access_number`, `_access_code`, `_expiration_time`,
 * and with `_return_pool_health` the group's counters after the booking (`_pool_health`).
 * The engine releases the booking when the service is deleted; a match or the booking's end releases it too.
 */
import {
  accessInformation,
  type CreateCall,
  type EngineServices,
  numberParameter,
  type PluginHandler,
  type PoolHealth,
  textParameter,
} from '../../src/plugin-api.ts';

/** The group's counters right after a booking (so they include it); undefined if a reload removed the group since. */
async function poolHealth(engine: EngineServices, group: string): Promise<PoolHealth | undefined> {
  const state = await engine.resources.group(group, { offset: 0, limit: 0 });
  return state && { total: state.total, available: state.available, reserved: state.reserved };
}

/** The request-interaction plugin: books access information at Create. */
export default function createRequestInteractionPlugin(engine: EngineServices): PluginHandler {
  return {
    async create(call: CreateCall) {
      const { parameters } = call;
      const group = textParameter(parameters._resource_group);
      if (!group) {
        throw engine.errors.missingParameter(
          '_resource_group',
          `no resource group is configured for service ${call.service.name} and the request sent none: set _resource_group = <group> in [service.${call.service.name}], or send _resource_group`,
        );
      }
      const allocation = await engine.resources.allocate({
        group,
        serviceId: call.id,
        dataId: call.dataId,
        phoneNumber: textParameter(parameters._phone_number),
        provideCode: parameters._provide_code === true,
        codeLength: numberParameter(parameters._access_code_length),
        bookingSeconds: numberParameter(parameters._booking_expiration_timeout),
      });
      const access = accessInformation(allocation);
      // The number is booked whatever happens next, so a group gone in a reload drops the counters, not the answer.
      const health = parameters._return_pool_health === true ? await poolHealth(engine, group) : undefined;
      const body = health ? { ...access, _pool_health: health } : access;
      return { body, state: { reservation: allocation.reservationId } };
    },
  };
}
