/**
 * request-access (seed 001/002, "Request-access"): books an access number (and code) for a live service named by
 * `_id`, so a service of any type can be reached by phone and matched later. Answers the `_id` of that service with
 * `_access_number`, `_access_code` and `_expiration_time`; it keeps no instance of its own.
 */
import { accessInformation, type CreateCall, type EngineServices, type PluginHandler } from '../../src/plugin-api.ts';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export default function createRequestAccessPlugin(engine: EngineServices): PluginHandler {
  return {
    async create(call: CreateCall) {
      const { parameters } = call;
      const id = text(parameters._id);
      if (!id) throw engine.errors.missingParameter('_id', 'send the _id of the live service the access number is for');
      const target = await engine.instances.get(id);
      if (!target) {
        throw engine.errors.notFound(
          `Service instance ${id} does not exist or has expired: request-access books numbers for live services only`,
        );
      }
      const allocation = await engine.resources.allocate({
        group: text(parameters._resource_group) ?? 'DNIS',
        serviceId: target.id,
        dataId: target.dataId,
        phoneNumber: text(parameters._phone_number) ?? text(target.parameters._phone_number),
        provideCode: parameters._provide_code === true,
        codeLength: Number(parameters._access_code_length),
        bookingSeconds:
          typeof parameters._booking_expiration_timeout === 'number'
            ? parameters._booking_expiration_timeout
            : undefined,
      });
      return { keepInstance: false, body: { _id: target.id, ...accessInformation(allocation) } };
    },
  };
}
